import type { GuardStore } from '#guard/ports.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import { clock, escapeMrkdwn, mention } from '../slack/mrkdwn.ts';
import type { ThreadKey, ThreadNote } from '../threads/record.ts';
import { withNote } from '../threads/record.ts';
import { updateThread } from '../threads/update.ts';
import { type ClickResponder, tellOnce } from './answers.ts';
import { flushThreadRunner, type ThreadPorts } from './thread-notes.ts';

/**
 * After "Roll back now": what the rollback record says happened. The guard's rollback writes one
 * record per deployment before it calls ECS, so of two clicks (or a click and the guard's own
 * trigger) one rolls back; this runner reads the record and writes the outcome into the thread
 * when it was this click's, or tells the clicker who rolled back and when.
 */
interface ReportRollbackAction {
  type: 'report-rollback';
  thread: ThreadKey;
  clickId: string;
  user: { id: string; name: string };
  responseUrl: string;
  at: string;
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinition: string;
  closes: string;
}

const shortName = (taskDefinition: string): string =>
  taskDefinition.split('/').pop() ?? taskDefinition;

const reportRollbackRunner: ActionRunner<
  ReportRollbackAction,
  ThreadPorts & { responder: ClickResponder; guardStore: GuardStore }
> = {
  effect: true,
  permissions: ['dynamodb:Query'],
  describe: (action) => `report the rollback of ${action.cluster}/${action.service} in its thread`,
  run: async (action, context) => {
    const { ports, telemetry, now } = context;
    const history = await ports.guardStore.history(action.cluster, action.service);
    const record = history.rollbacks.find((r) => r.fromDeploymentId === action.deploymentId);
    const mine = record?.requestedBy?.id === action.user.id && record.at === action.at;
    if (!record || !mine) {
      const who = record?.requestedBy
        ? mention(record.requestedBy.id)
        : `Harbormaster (${escapeMrkdwn(record?.trigger ?? 'unknown trigger')})`;
      const text = record
        ? `Already rolled back by ${who} at ${clock(record.at)}.`
        : 'Not rolled back: the rollback did not happen.';
      await tellOnce(context, { id: action.clickId, responseUrl: action.responseUrl }, text);
      return { status: 'skipped', detail: text };
    }
    const deployment = record.rollbackDeploymentId
      ? ` (deployment ${escapeMrkdwn(record.rollbackDeploymentId)})`
      : '';
    const note: ThreadNote = {
      id: `click#${action.clickId}`,
      at: action.at,
      text: `Rolled back to ${escapeMrkdwn(shortName(action.taskDefinition))} by ${mention(action.user.id)} at ${clock(action.at)}${deployment}`,
      closes: action.closes,
    };
    await updateThread(ports.threads.store, action.thread, (current) =>
      current ? withNote(current, note, { reply: true, now }) : current,
    );
    telemetry.log.info('Chat action carried out', {
      action: 'rollback',
      user: action.user.id,
      service: `${action.cluster}/${action.service}`,
      deploymentId: action.deploymentId,
      to: action.taskDefinition,
      at: action.at,
    });
    await flushThreadRunner.run({ type: 'flush-thread', thread: action.thread }, context);
    return { status: 'done', detail: note.text };
  },
};

export { type ReportRollbackAction, reportRollbackRunner };
