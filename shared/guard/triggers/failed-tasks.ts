import type { CountedFailure } from '../failures.ts';
import type { DeploymentFacts } from '../state.ts';
import type { Firing } from './firing.ts';

/** Fires once the deployment's failed tasks reach the configured count (default 3). */
const failedTasksTrigger = (
  j: DeploymentFacts,
  failures: readonly CountedFailure[],
): Firing | undefined => {
  const { mode, count } = j.settings.failedTasks;
  if (mode === 'off' || failures.length < count) return undefined;
  return {
    trigger: 'failed-tasks',
    mode,
    reason: `${failures.length} tasks of the deployment failed; the limit is ${count}.`,
    failures: [...failures],
    threshold: count,
    alarms: [],
  };
};

export { failedTasksTrigger };
