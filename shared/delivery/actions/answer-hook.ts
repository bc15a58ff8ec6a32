import type { AnswerContract } from '#kernel/function-definition.ts';
import type { InvocationResult } from '#kernel/invoke.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import { fallbackHookDetails } from '../hook/details.ts';

type HookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/**
 * The answer to ECS's lifecycle hook (lambda-lifecycle-hooks.html): SUCCEEDED lets the deployment
 * go on, FAILED rolls it back, IN_PROGRESS has ECS invoke again after `callBackDelay` seconds
 * (default 30), passing back the `hookDetails` returned with it. The decision's last action: it
 * is given only after the alerts and records before it are done.
 */
interface AnswerHookAction {
  type: 'answer-hook';
  hookStatus: HookStatus;
  callBackDelay?: number;
  hookDetails?: Record<string, unknown>;
  /** Why, for logs and replays. */
  reason: string;
}

/** The answer is the Lambda's return value: carrying it out is returning it. */
const answerHookRunner: ActionRunner<AnswerHookAction> = {
  permissions: [],
  describe: (action) => `answer ${action.hookStatus} (${action.reason})`,
  run: async (action) => ({ status: 'done', detail: `answered ${action.hookStatus}` }),
};

/** How long ECS waits before invoking again when Harbormaster could not decide. */
const RETRY_SECONDS = 30;

/** A well-formed answer; hookDetails only with IN_PROGRESS (the only status ECS passes them on with). */
const answerOf = (
  action: Pick<AnswerHookAction, 'hookStatus' | 'callBackDelay' | 'hookDetails'>,
) => ({
  hookStatus: action.hookStatus,
  ...(action.hookStatus === 'IN_PROGRESS'
    ? {
        callBackDelay: action.callBackDelay ?? RETRY_SECONDS,
        ...(action.hookDetails ? { hookDetails: action.hookDetails } : {}),
      }
    : {}),
});

const hookDetailsOf = (raw: unknown) =>
  (raw as { hookDetails?: Record<string, unknown> | null } | null)?.hookDetails;

/**
 * The lifecycle hook's answer contract. ECS rolls a deployment back when its hook throws, times
 * out or answers something else than a hookStatus, so the function never does: a failure it
 * could retry, or running short of time, answers IN_PROGRESS (ECS invokes again, and the hook's
 * timeoutConfiguration bounds how long). Input that cannot be read is answered SUCCEEDED: the
 * gates cannot judge it, and bad input must not block deployments (it is logged and counted).
 * In dry-run the decision's answer is logged and SUCCEEDED given: a dry run takes no action, and
 * holding or failing a deployment is one.
 */
const hookAnswerContract: AnswerContract = {
  applies: (raw) =>
    typeof raw === 'object' && raw !== null && !('detail-type' in raw) && 'lifecycleStage' in raw,
  answer: (raw, result: InvocationResult) => {
    if (result.outcome === 'invalid') return { hookStatus: 'SUCCEEDED' };
    const answered = result.actions.find((a) => a.type === 'answer-hook');
    if (!answered) return hookAnswerContract.fallback(raw, result.reason);
    if (answered.status === 'dry-run') return { hookStatus: 'SUCCEEDED' };
    return answerOf(answered.action as AnswerHookAction);
  },
  fallback: (raw) => ({
    hookStatus: 'IN_PROGRESS',
    callBackDelay: RETRY_SECONDS,
    hookDetails: fallbackHookDetails(hookDetailsOf(raw)),
  }),
  // GetMetricData and the other reads answer in well under a second; five seconds is ample.
  reserveMs: 5_000,
};

export { type AnswerHookAction, answerHookRunner, answerOf, type HookStatus, hookAnswerContract };
