import type { EcsPort, LaunchSpec, RunTaskResult } from '#aws/ecs/port.ts';
import { holderOf, LeaseHeldError, leaseEnd } from '#kernel/lease/run-once.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';
import type { LaunchRecord } from '../records.ts';

/**
 * Launch tasks of a job run: one RunTask call per planned launch, paced under the RunTask limits,
 * each recorded with its result. Launches already recorded are skipped, so repeating it is safe.
 */
interface LaunchJobTasksAction {
  type: 'launch-job-tasks';
  job: string;
  runKey: string;
  startedBy: string;
  spec: LaunchSpec;
  launches: PlannedLaunch[];
}

/** One planned RunTask call: which task slots, which attempt, and its idempotency token. */
interface PlannedLaunch {
  launchId: string;
  slots: number[];
  attempt: number;
  placementTry: number;
  clientToken: string;
}

// Another invocation may take over a launch lease this long after it was last renewed.
const LEASE_SLICE_MS = 90_000;
const RENEW_EVERY_MS = 30_000;
const LEASE_KEEP_SECONDS = 15 * 60;
// Launching stops this long before the invocation ends: time to record the last launch, give the
// lease back and send what the plan holds after the launch. The rest is left to the next check.
const LAUNCH_RESERVE_MS = 30_000;

/**
 * What a RunTask answer means for the launch's slots. Tasks are identical, so returned tasks fill
 * the slots in order (ARNs sorted: a replay with the same token gives the same assignment) and
 * placement failures take the rest.
 */
const launchRecordOf = (
  launch: PlannedLaunch,
  result: Exclude<RunTaskResult, { outcome: 'unavailable' }>,
  requestedAt: Date,
): LaunchRecord => {
  const base = {
    launchId: launch.launchId,
    slots: launch.slots,
    attempt: launch.attempt,
    placementTry: launch.placementTry,
    requestedAt: requestedAt.toISOString(),
  };
  if (result.outcome === 'refused')
    return { ...base, tasks: [], failures: [], error: result.error };
  const slots = [...launch.slots].sort((a, b) => a - b);
  const taskArns = [...result.taskArns].sort().slice(0, slots.length);
  const failures = result.outcome === 'launched' ? result.failures : [];
  return {
    ...base,
    tasks: taskArns.map((taskArn, i) => ({ slot: slots[i] as number, taskArn })),
    failures: slots.slice(taskArns.length).map((slot, i) => ({
      slot,
      reason:
        failures[i]?.reason ??
        (result.outcome === 'conflict'
          ? 'UNKNOWN: the client token was used with other parameters'
          : 'UNKNOWN: RunTask returned fewer tasks than asked'),
      ...(failures[i]?.detail ? { detail: failures[i].detail } : {}),
    })),
  };
};

/**
 * Launches a run's planned tasks while the invocation has time (its remaining time less
 * `LAUNCH_RESERVE_MS`). Only the holder of the run's launch lease (`launch#<job>/<run>`, kernel
 * leases) calls RunTask; another invocation that finds it held fails retryably, so the calls are
 * never doubled; each launch already recorded is skipped; each
 * call uses its launch's client token, so a call repeated after a crash returns the tasks of the
 * first instead of starting new ones. Refusals (a missing cluster...) are recorded for the
 * decision to report; an ECS outage stops the loop and leaves the rest to the next check.
 */
const launchJobTasks: ActionRunner<LaunchJobTasksAction, { jobRuns: JobRunStore; ecs: EcsPort }> = {
  effect: true,
  // RunTask with tags needs ecs:TagResource; the task and execution roles are passed to ECS.
  permissions: [
    'ecs:RunTask',
    'ecs:TagResource',
    'iam:PassRole',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
  ],
  describe: (action) => {
    const tasks = action.launches.reduce((sum, l) => sum + l.slots.length, 0);
    return `launch ${tasks} task(s) of ${action.job}/${action.runKey} in ${action.launches.length} RunTask call(s) on ${action.spec.cluster}`;
  },
  run: async (action, { ports, now, telemetry, invocation, leases, clock }) => {
    const { jobRuns, ecs } = ports;
    const key = `launch#${action.job}/${action.runKey}`;
    const holder = holderOf(invocation);
    // A slice of the invocation's own time, renewed while it launches: an invocation that dies
    // leaves the run to the next one within a slice, not at the end of its 15 minutes.
    const until = () =>
      Math.min(clock().getTime() + LEASE_SLICE_MS, leaseEnd({ invocation, clock, leases }));
    const claim = await leases.claim({
      key,
      holder,
      now: clock().getTime(),
      until: until(),
      keepSeconds: LEASE_KEEP_SECONDS,
    });
    if (claim.outcome === 'held') throw new LeaseHeldError(claim.record);
    let calls = 0;
    let launched = 0;
    let unplaced = 0;
    let stopped = '';
    try {
      const recorded = new Set(
        (await jobRuns.runFacts(action.job, action.runKey)).launches.map((l) => l.launchId),
      );
      let renewedAt = performance.now();
      for (const launch of action.launches) {
        if (recorded.has(launch.launchId)) continue;
        const budgetMs = invocation.remainingMs() - LAUNCH_RESERVE_MS;
        if (budgetMs <= 0) {
          stopped = '; launch budget used, the rest is left to the next check';
          break;
        }
        if (performance.now() - renewedAt > RENEW_EVERY_MS) {
          if (!(await leases.renew(key, holder, until()))) {
            stopped = '; another invocation took the launch lease over';
            break;
          }
          renewedAt = performance.now();
        }
        const result = await ecs.runTask({
          spec: action.spec,
          count: launch.slots.length,
          startedBy: action.startedBy,
          clientToken: launch.clientToken,
          budgetMs,
        });
        calls += 1;
        if (result.outcome === 'unavailable') {
          telemetry.counters.count('RunTaskUnavailable');
          stopped = `; ECS unavailable (${result.error.name}), the rest is left to the next check`;
          break;
        }
        const record = launchRecordOf(launch, result, now);
        await jobRuns.recordLaunch(action.job, action.runKey, record);
        launched += record.tasks.length;
        unplaced += record.failures.length + (record.error ? record.slots.length : 0);
      }
    } finally {
      // Not reached by an invocation that dies: its lease then ends with its slice.
      await leases.release(key, holder);
    }
    telemetry.counters.count('JobTasksLaunched', launched);
    return {
      status: calls > 0 ? 'done' : 'skipped',
      detail: `${calls} RunTask call(s), ${launched} task(s) launched, ${unplaced} not placed${stopped}`,
    };
  },
};

export { type LaunchJobTasksAction, launchJobTasks, launchRecordOf, type PlannedLaunch };
