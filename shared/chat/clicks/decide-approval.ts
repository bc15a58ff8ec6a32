import type { ApprovalChatAction } from '#kernel/alerts/chat-actions.ts';
import { act, type Decision } from '#kernel/decision.ts';
import type { AnswerPauseAction } from '../actions/answer-pause.ts';
import type { TellClickerAction } from '../actions/answers.ts';
import type { Click } from '../interactions/click.ts';
import { clock, escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { ThreadKey, ThreadRecord } from '../threads/record.ts';

/**
 * A deployment paused at a pause hook, as DescribeServiceDeployments reports it: the part of the
 * progressive-delivery wing's ServiceDeploymentState (shared/aws/ecs/service-deployment-state.ts
 * on that branch) that approving needs.
 */
interface PausedDeployment {
  arn: string;
  status: string;
  lifecycleStage: string | undefined;
  hooks: {
    hookId: string;
    targetType: string | undefined;
    status: string | undefined;
    expiresAt: Date | undefined;
    timeoutAction: string | undefined;
  }[];
}

type ApprovalDecisionAction = TellClickerAction | AnswerPauseAction;

const VERB = { approve: 'Approved', reject: 'Rejected' } as const;

/**
 * Approve (CONTINUE) or Reject (ROLLBACK) a paused deployment, or why not: ContinueServiceDeployment
 * needs the hook AWAITING_ACTION and the deployment IN_PROGRESS (continue-service-deployment.html);
 * a pause that timed out was answered by ECS with its timeout action, one answered before says by
 * whom when it was answered from chat.
 */
const decideApproval = (
  click: Click,
  action: ApprovalChatAction,
  state: {
    thread: ThreadRecord | undefined;
    pause?: PausedDeployment | undefined;
    /** Who answered this pause from chat, and when (its lease, done). */
    answered?: { by: string; at: string } | undefined;
  },
  base: {
    thread: ThreadKey;
    clickId: string;
    user: { id: string; name: string };
    responseUrl: string;
    at: string;
  },
  _now: Date,
): Decision<ApprovalDecisionAction> => {
  const tell = (text: string): Decision<ApprovalDecisionAction> =>
    act(`told ${click.user.name}: ${text}`, [{ type: 'tell-clicker', click, text }]);
  const deployment = state.pause;
  if (!deployment) return tell('ECS knows no such service deployment any more.');
  const hook = deployment.hooks.find((h) => h.hookId === action.hookId);
  const earlier = state.answered;
  if (earlier) return tell(`Already answered by ${earlier.by} at ${clock(earlier.at)}.`);
  if (!hook) return tell('The deployment has no such pause.');
  if (hook.status === 'TIMED_OUT') {
    const expired = hook.expiresAt ? ` at ${clock(hook.expiresAt.toISOString())}` : '';
    const took = hook.timeoutAction === 'CONTINUE' ? 'ECS continued' : 'ECS rolled back';
    return tell(`The pause timed out${expired}: ${took}.`);
  }
  if (hook.status === 'SUCCEEDED') return tell('Already approved: the deployment continued.');
  if (hook.status === 'FAILED') return tell('Already rejected: the deployment rolled back.');
  if (deployment.status !== 'IN_PROGRESS')
    return tell(
      `The deployment is ${escapeMrkdwn(deployment.status)}: there is nothing to answer.`,
    );
  if (hook.status !== 'AWAITING_ACTION')
    return tell(
      `The pause is ${escapeMrkdwn(hook.status ?? 'in an unknown state')}, not awaiting an answer.`,
    );
  const answer = action.kind === 'approve' ? 'CONTINUE' : 'ROLLBACK';
  return act(
    `${click.user.name}: ${answer} to the pause at ${deployment.lifecycleStage ?? 'its stage'}`,
    [
      {
        type: 'answer-pause',
        ...base,
        serviceDeploymentArn: action.serviceDeploymentArn,
        hookId: action.hookId,
        answer,
        verb: VERB[action.kind],
        stage: deployment.lifecycleStage,
      },
    ],
  );
};

export { type ApprovalDecisionAction, decideApproval, type PausedDeployment };
