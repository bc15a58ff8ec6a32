import type { ActionRunner } from '#kernel/runner.ts';
import type { PausedDeployment } from '../clicks/decide-approval.ts';
import { clock, escapeMrkdwn, mention } from '../slack/mrkdwn.ts';
import type { ThreadKey, ThreadNote } from '../threads/record.ts';
import { withNote } from '../threads/record.ts';
import { updateThread } from '../threads/update.ts';
import type { ClickResponder } from './answers.ts';
import { flushThreadRunner, type ThreadPorts } from './thread-notes.ts';

/**
 * The service deployment calls approving needs: the part of the progressive-delivery wing's
 * ServiceDeploymentsPort (shared/aws/ecs/service-deployments.ts on that branch) it uses.
 */
interface PausePort {
  describe(arns: readonly string[]): Promise<PausedDeployment[]>;
  continueDeployment(arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): Promise<void>;
}

/** Answer a pause hook with CONTINUE (Approve) or ROLLBACK (Reject), once. */
interface AnswerPauseAction {
  type: 'answer-pause';
  thread: ThreadKey;
  clickId: string;
  user: { id: string; name: string };
  responseUrl: string;
  at: string;
  serviceDeploymentArn: string;
  hookId: string;
  answer: 'CONTINUE' | 'ROLLBACK';
  verb: 'Approved' | 'Rejected';
  stage: string | undefined;
}

const noteOf = (action: AnswerPauseAction): ThreadNote => ({
  id: `click#${action.clickId}`,
  at: action.at,
  text: `${action.verb} by ${mention(action.user.id)} at ${clock(action.at)} (${action.answer} at ${escapeMrkdwn(action.stage ?? 'the pause')})`,
  closes: `pause#${action.hookId}`,
});

/**
 * A claim on the thread is taken before ContinueServiceDeployment, so that of two clicks one
 * answers and the other is told who did; it is given back if ECS refuses while the pause still
 * awaits an answer (a retry may then answer it). A refusal because the pause was answered in the
 * meantime (a timeout, the console) is reported, not retried. The note in the thread is written
 * only once ECS took the answer.
 */
const answerPauseRunner: ActionRunner<
  AnswerPauseAction,
  ThreadPorts & { responder: ClickResponder; pauses: PausePort | undefined }
> = {
  permissions: ['ecs:DescribeServiceDeployments', 'ecs:ContinueServiceDeployment'],
  describe: (action) =>
    `answer ${action.answer} to hook ${action.hookId} of ${action.serviceDeploymentArn}`,
  run: async (action, context) => {
    const { ports, telemetry, now } = context;
    const note = noteOf(action);
    const key = note.closes as string;
    const by = mention(action.user.id);
    let earlier: { by: string; at: string } | undefined;
    const claimed = await updateThread(ports.threads.store, action.thread, (current) => {
      const claims = current?.claims ?? [];
      const held = claims.find((c) => c.key === key);
      earlier = held && held.clickId !== action.clickId ? held : undefined;
      if (!current || held) return current;
      return {
        ...current,
        claims: [...claims, { key, clickId: action.clickId, by, at: action.at }],
      };
    });
    if (earlier || !claimed) {
      const text = earlier
        ? `Already answered by ${earlier.by} at ${clock(earlier.at)}.`
        : 'The thread is gone.';
      await ports.responder.tell(action.responseUrl, text);
      return { status: 'skipped', detail: text };
    }
    if (!ports.pauses)
      throw new Error('pause hooks cannot be answered: no service deployment port');
    try {
      await ports.pauses.continueDeployment(
        action.serviceDeploymentArn,
        action.hookId,
        action.answer,
      );
    } catch (error) {
      const [deployment] = await ports.pauses.describe([action.serviceDeploymentArn]);
      const hook = deployment?.hooks.find((h) => h.hookId === action.hookId);
      const awaiting = hook?.status === 'AWAITING_ACTION' && deployment?.status === 'IN_PROGRESS';
      // Still awaiting: the claim goes, so that a retry (or another click) may answer it.
      if (awaiting) {
        await updateThread(
          ports.threads.store,
          action.thread,
          (r) =>
            r && { ...r, claims: (r.claims ?? []).filter((c) => c.clickId !== action.clickId) },
        );
        throw error;
      }
      const text = `Not answered: the pause is ${escapeMrkdwn(hook?.status ?? 'gone')}.`;
      await ports.responder.tell(action.responseUrl, text);
      return { status: 'skipped', detail: text };
    }
    await updateThread(ports.threads.store, action.thread, (current) =>
      current ? withNote(current, note, { reply: true, now }) : current,
    );
    telemetry.log.info('Chat action carried out', {
      action: action.answer,
      user: action.user.id,
      serviceDeploymentArn: action.serviceDeploymentArn,
      hookId: action.hookId,
      at: action.at,
    });
    await flushThreadRunner.run({ type: 'flush-thread', thread: action.thread }, context);
    return { status: 'done', detail: note.text };
  },
};

export { type AnswerPauseAction, answerPauseRunner, type PausePort };
