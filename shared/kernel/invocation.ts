/**
 * The invocation a piece of work runs in: who it is, for the leases it takes, and how long it has
 * left, for the budgets it spends. Lambda keeps one request id across its own retries of an
 * asynchronous invocation (the retries run one after the other, each after the previous attempt
 * failed or timed out), so the request id names the invocation and `attemptId` names one attempt.
 */
interface Invocation {
  /** Lambda's request id (`context.awsRequestId`): the same for every attempt of one invocation. */
  requestId: string;
  /** This attempt only: a lease of another attempt of the same request was left by a dead one. */
  attemptId: string;
  /** Milliseconds until Lambda ends this attempt (`context.getRemainingTimeInMillis()`). */
  remainingMs(): number;
}

/** Headroom kept at the end of an invocation for recording what was done and answering. */
const FINISHING_MS = 5_000;

/** The time left to spend on work, leaving `FINISHING_MS` (never below zero). */
const spendableMs = (invocation: Invocation): number =>
  Math.max(0, invocation.remainingMs() - FINISHING_MS);

/**
 * An invocation outside Lambda (the CLI, replay, tests): its own request, with the longest time a
 * Lambda function may run (15 minutes) from its start on `clock`.
 */
const standaloneInvocation = (clock: () => Date, timeoutMs = 15 * 60_000): Invocation => {
  const deadline = clock().getTime() + timeoutMs;
  // The global Web Crypto (no node:crypto import in the kernel).
  const requestId = crypto.randomUUID();
  return {
    requestId,
    attemptId: `${requestId}/1`,
    remainingMs: () => deadline - clock().getTime(),
  };
};

export { FINISHING_MS, type Invocation, spendableMs, standaloneInvocation };
