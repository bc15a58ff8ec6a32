import type { DeploymentState, TaskState } from '#aws/ecs/state.ts';
import { classifyStoppedTask } from '#kernel/events/stopped-task.ts';
import type { FailedTaskSummary } from './deployment-guard-alert.ts';

/** A stopped task of a deployment that counts as a failure of the deployment. */
interface CountedFailure extends FailedTaskSummary {
  stoppedAt: string | undefined;
}

const attributable = (deployment: DeploymentState, task: TaskState): boolean => {
  if (task.startedBy === deployment.id) return true;
  // A task of the new task definition started during the deployment (e.g. by a replacement).
  const created = task.createdAt ? Date.parse(task.createdAt) : undefined;
  const since = deployment.createdAt?.getTime();
  return (
    task.taskDefinitionArn === deployment.taskDefinition &&
    created !== undefined &&
    since !== undefined &&
    created >= since
  );
};

/**
 * The failures of a deployment among stopped tasks (each task once, at its latest version):
 * tasks it started that failed to start, crashed with a non-zero essential exit, were killed by
 * health checks or ran out of memory. Scale-in, replacement and user stops never count. Counted
 * cumulatively: a healthy task in between resets nothing.
 */
const attributableFailures = (
  deployment: DeploymentState,
  tasks: readonly TaskState[],
): CountedFailure[] => {
  const latest = new Map<string, TaskState>();
  for (const task of tasks) {
    const key = task.taskArn ?? '';
    const seen = latest.get(key);
    if (!seen || (task.version ?? 0) >= (seen.version ?? 0)) latest.set(key, task);
  }
  return [...latest.values()]
    .filter((task) => task.lastStatus === 'STOPPED' && attributable(deployment, task))
    .flatMap((task) => {
      const stop = classifyStoppedTask(task);
      if (!stop?.failure) return [];
      return [
        {
          taskArn: task.taskArn ?? '',
          kind: stop.kind,
          stoppedReason: stop.stoppedReason,
          exits: stop.essentialExits.map((e) => ({
            name: e.name,
            exitCode: e.exitCode,
            reason: e.reason,
          })),
          stoppedAt: task.stoppedAt,
        },
      ];
    })
    .sort((a, b) => (a.stoppedAt ?? '').localeCompare(b.stoppedAt ?? ''));
};

export { attributableFailures, type CountedFailure };
