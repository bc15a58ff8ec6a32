import { runOnce } from '#kernel/lease/run-once.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { PausedDeployment } from '../clicks/decide-approval.ts';
import { clock, escapeMrkdwn, mention } from '../slack/mrkdwn.ts';
import type { ThreadKey, ThreadNote } from '../threads/record.ts';
import { withNote } from '../threads/record.ts';
import { updateThread } from '../threads/update.ts';
import { type ClickResponder, tellOnce } from './answers.ts';
import { flushThreadRunner, onceOf, type ThreadPorts } from './thread-notes.ts';

/**
 * The service deployment calls approving needs: the part of the ServiceDeploymentsPort
 * (shared/aws/ecs/service-deployments.ts, the progressive-delivery wing's interface) it uses:
 * ContinueServiceDeployment with the deployment ARN and the hook id, and DescribeServiceDeployments.
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

/** Who answered a pause from chat, and when (the result its lease keeps). */
interface PauseAnswer {
  by: string;
  at: string;
  clickId: string;
  /** Set when ECS refused because the pause had been answered otherwise (a timeout, the console). */
  refused?: string;
}

/** The lease on answering one pause hook: of all the clicks on it, one answers. */
const pauseLeaseKey = (arn: string, hookId: string): string => `chat-pause#${arn}#${hookId}`;
// Pause hooks wait at most 14 days (timeoutConfiguration, pause-lifecycle-hooks.html).
const KEEP_SECONDS = 14 * 24 * 60 * 60;

const noteOf = (action: AnswerPauseAction): ThreadNote => ({
  id: `click#${action.clickId}`,
  at: action.at,
  text: `${action.verb} by ${mention(action.user.id)} at ${clock(action.at)} (${action.answer} at ${escapeMrkdwn(action.stage ?? 'the pause')})`,
  closes: `pause#${action.hookId}`,
});

const awaiting = (deployment: PausedDeployment | undefined, hookId: string): string | undefined => {
  const hook = deployment?.hooks.find((h) => h.hookId === hookId);
  if (hook?.status === 'AWAITING_ACTION' && deployment?.status === 'IN_PROGRESS') return undefined;
  return hook?.status ?? 'gone';
};

/**
 * ContinueServiceDeployment, once per pause hook, under the kernel lease `chat-pause#<arn>#<hook>`:
 * of two clicks one answers and the other is told who did and when. A refusal while the pause still
 * awaits an answer gives the lease back (the error is retried); one because the pause was answered
 * otherwise in the meantime (a timeout, the console) is told, not retried. An attempt that died
 * after calling ECS is found out by reading the deployment. The note in the thread is written only
 * once ECS took the answer.
 */
const answerPauseRunner: ActionRunner<
  AnswerPauseAction,
  ThreadPorts & { responder: ClickResponder; serviceDeployments: PausePort | undefined }
> = {
  effect: true,
  permissions: ['ecs:DescribeServiceDeployments', 'ecs:ContinueServiceDeployment'],
  describe: (action) =>
    `answer ${action.answer} to hook ${action.hookId} of ${action.serviceDeploymentArn}`,
  run: async (action, context) => {
    const { ports, telemetry, now } = context;
    const pauses = ports.serviceDeployments;
    if (!pauses) throw new Error('pause hooks cannot be answered: no service deployment port');
    const mine: PauseAnswer = {
      by: mention(action.user.id),
      at: action.at,
      clickId: action.clickId,
    };
    const arn = action.serviceDeploymentArn;
    const outcome = await runOnce<PauseAnswer>(
      {
        key: pauseLeaseKey(arn, action.hookId),
        keepSeconds: KEEP_SECONDS,
        act: async () => {
          try {
            await pauses.continueDeployment(arn, action.hookId, action.answer);
          } catch (error) {
            const status = awaiting((await pauses.describe([arn]))[0], action.hookId);
            // Still awaiting: a retry (or another click) may answer it.
            if (status === undefined) throw error;
            return { ...mine, refused: `Not answered: the pause is ${escapeMrkdwn(status)}.` };
          }
          return mine;
        },
        // An attempt that died after calling ECS: a pause no longer awaiting was answered by it.
        recover: async () =>
          awaiting((await pauses.describe([arn]))[0], action.hookId) === undefined
            ? undefined
            : mine,
      },
      onceOf(context),
    );
    if (outcome.status === 'uncertain') throw new Error('a recoverable answer cannot be uncertain');
    const answer = outcome.result;
    const ours = answer.clickId === action.clickId;
    if (!ours || answer.refused) {
      const text = answer.refused ?? `Already answered by ${answer.by} at ${clock(answer.at)}.`;
      await tellOnce(context, { id: action.clickId, responseUrl: action.responseUrl }, text);
      return { status: 'skipped', detail: text };
    }
    await updateThread(ports.threads.store, action.thread, (current) =>
      current ? withNote(current, noteOf(action), { reply: true, now }) : current,
    );
    telemetry.log.info('Chat action carried out', {
      action: action.answer,
      user: action.user.id,
      serviceDeploymentArn: arn,
      hookId: action.hookId,
      at: action.at,
    });
    await flushThreadRunner.run({ type: 'flush-thread', thread: action.thread }, context);
    return { status: 'done', detail: noteOf(action).text };
  },
};

export {
  type AnswerPauseAction,
  answerPauseRunner,
  type PauseAnswer,
  type PausePort,
  pauseLeaseKey,
};
