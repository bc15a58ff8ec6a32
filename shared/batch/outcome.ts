import { classifyStoppedTask } from '#kernel/events/stopped-task.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import type { RetryPolicy, TaskOutcome } from './records.ts';

/**
 * How a stopped task of a run ended. It succeeded only if every essential container (from the
 * task definition) exited 0: an essential container without an exit code never ran, so a task
 * that never started is a failure. Undefined while the task has not stopped.
 */
const outcomeOf = (
  detail: TaskDetail,
  essentialContainers: readonly string[],
): TaskOutcome | undefined => {
  if (detail.lastStatus !== 'STOPPED' || !detail.taskArn) return undefined;
  const essential = essentialContainers.length > 0 ? new Set(essentialContainers) : undefined;
  const stop = classifyStoppedTask(detail, essential);
  const exits = essential
    ? [...essential].map((name) => {
        const container = detail.containers?.find((c) => c.name === name);
        return { container: name, exitCode: container?.exitCode, reason: container?.reason };
      })
    : (stop?.essentialExits ?? []).map((e) => ({
        container: e.name,
        exitCode: e.exitCode,
        reason: e.reason,
      }));
  const started = detail.startedAt !== undefined || exits.some((e) => e.exitCode !== undefined);
  return {
    taskArn: detail.taskArn,
    succeeded: started && exits.length > 0 && exits.every((e) => e.exitCode === 0),
    kind: started ? (stop?.kind ?? 'unknown') : 'failed-to-start',
    started,
    essentialExits: exits.map((e) => ({
      container: e.container,
      ...(e.exitCode === undefined ? {} : { exitCode: e.exitCode }),
      ...(e.reason === undefined ? {} : { reason: e.reason.slice(0, 300) }),
    })),
    ...(detail.stopCode ? { stopCode: detail.stopCode } : {}),
    ...(detail.stoppedReason ? { stoppedReason: detail.stoppedReason.slice(0, 500) } : {}),
    stoppedAt: detail.stoppedAt ?? detail.updatedAt ?? new Date(0).toISOString(),
  };
};

/** One line saying why a task failed, grouped in summaries: "app exited 3", "CannotPullContainerError: ...". */
const failureReason = (outcome: TaskOutcome): string => {
  if (!outcome.started) {
    const reason = outcome.stoppedReason ?? outcome.essentialExits.find((e) => e.reason)?.reason;
    return `never started: ${(reason ?? 'no reason given').split(':')[0]}`;
  }
  const failing = outcome.essentialExits.filter((e) => e.exitCode !== 0);
  if (outcome.kind === 'spot-interruption') return 'interrupted: Fargate Spot capacity reclaimed';
  if (outcome.kind === 'infrastructure')
    return `interrupted: ${outcome.stoppedReason ?? 'infrastructure'}`;
  if (outcome.kind === 'user-stopped') return `stopped: ${outcome.stoppedReason ?? 'by a user'}`;
  const exits = failing.map((e) =>
    e.exitCode === undefined
      ? `${e.container} did not run`
      : `${e.container} exited ${e.exitCode}${e.reason && /OutOfMemory/i.test(e.reason) ? ' (out of memory)' : ''}`,
  );
  return exits.length > 0 ? exits.join(', ') : `stopped: ${outcome.stoppedReason ?? outcome.kind}`;
};

/** Whether the job's retry policy retries this failure. */
const retryable = (outcome: TaskOutcome, policy: RetryPolicy): boolean => {
  if (outcome.succeeded) return false;
  if (!outcome.started) return policy.startFailures;
  if (outcome.kind === 'spot-interruption' || outcome.kind === 'infrastructure')
    return policy.interruptions;
  // A person or Harbormaster stopped it; or its outcome is unknown, and it may have succeeded.
  if (outcome.kind === 'user-stopped' || outcome.kind === 'lost') return false;
  const codes = outcome.essentialExits
    .map((e) => e.exitCode)
    .filter((code): code is number => code !== undefined && code !== 0);
  if (!policy.exitCodes) return true;
  return codes.length > 0 && codes.every((code) => policy.exitCodes?.includes(code));
};

/** Seconds to wait before retrying a task whose attempt `attempt` (1-based) failed. */
const retryDelaySeconds = (policy: RetryPolicy, attempt: number): number =>
  Math.min(
    policy.maxBackoffSeconds,
    policy.backoffSeconds * policy.backoffMultiplier ** (attempt - 1),
  );

/** Seconds to wait before calling RunTask again for slots it could not place (30 s, doubling, at most 5 min). */
const placementDelaySeconds = (placementTry: number): number =>
  Math.min(300, 30 * 2 ** placementTry);

export { failureReason, outcomeOf, placementDelaySeconds, retryable, retryDelaySeconds };
