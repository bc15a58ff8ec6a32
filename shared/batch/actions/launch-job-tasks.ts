import type { EcsPort, LaunchSpec, RunTaskResult } from '#aws/ecs/port.ts';
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
  /** Wall time this invocation may spend launching; the rest is left to the next check. */
  budgetSeconds: number;
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
const LEASE_MS = 90_000;
const RENEW_EVERY_MS = 30_000;

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
 * Launches a run's planned tasks. Only the holder of the run's launch lease calls RunTask, so a
 * duplicate invocation does not double the calls; each launch already recorded is skipped; each
 * call uses its launch's client token, so a call repeated after a crash returns the tasks of the
 * first instead of starting new ones. Refusals (a missing cluster...) are recorded for the
 * decision to report; an ECS outage stops the loop and leaves the rest to the next check.
 */
const launchJobTasks: ActionRunner<LaunchJobTasksAction, { jobRuns: JobRunStore; ecs: EcsPort }> = {
  // RunTask with tags needs ecs:TagResource; the task and execution roles are passed to ECS.
  permissions: [
    'ecs:RunTask',
    'ecs:TagResource',
    'iam:PassRole',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:Query',
  ],
  describe: (action) => {
    const tasks = action.launches.reduce((sum, l) => sum + l.slots.length, 0);
    return `launch ${tasks} task(s) of ${action.job}/${action.runKey} in ${action.launches.length} RunTask call(s) on ${action.spec.cluster}`;
  },
  run: async (action, { ports, now, telemetry }) => {
    const { jobRuns, ecs } = ports;
    // The global Web Crypto (no node:crypto import: every function bundles this runner).
    const owner = crypto.randomUUID();
    const started = performance.now();
    const at = () => new Date(now.getTime() + (performance.now() - started));
    const lease = () => new Date(at().getTime() + LEASE_MS);
    if (!(await jobRuns.acquireLaunchLease(action.job, action.runKey, owner, at(), lease())))
      return { status: 'skipped', detail: 'another invocation holds the launch lease' };
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
        if (performance.now() - started > action.budgetSeconds * 1000) {
          stopped = '; launch budget used, the rest is left to the next check';
          break;
        }
        if (performance.now() - renewedAt > RENEW_EVERY_MS) {
          if (
            !(await jobRuns.acquireLaunchLease(action.job, action.runKey, owner, at(), lease()))
          ) {
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
      await jobRuns.releaseLaunchLease(action.job, action.runKey, owner);
    }
    telemetry.counters.count('JobTasksLaunched', launched);
    return {
      status: calls > 0 ? 'done' : 'skipped',
      detail: `${calls} RunTask call(s), ${launched} task(s) launched, ${unplaced} not placed${stopped}`,
    };
  },
};

export { type LaunchJobTasksAction, launchJobTasks, launchRecordOf, type PlannedLaunch };
