import type { CountedFailure } from '../failures.ts';
import type { DeploymentFacts } from '../state.ts';
import type { Firing } from './firing.ts';

/** When the deployment must have completed: its start plus the configured minutes. */
const deadlineOf = (j: DeploymentFacts): Date | undefined => {
  const started =
    j.deployment?.createdAt?.getTime() ?? (j.watch ? Date.parse(j.watch.startedAt) : undefined);
  return started === undefined
    ? undefined
    : new Date(started + j.settings.deadline.minutes * 60_000);
};

/** Fires when the deployment is not COMPLETED by its deadline. */
const deadlineTrigger = (
  j: DeploymentFacts,
  failures: readonly CountedFailure[],
): Firing | undefined => {
  const { mode, minutes } = j.settings.deadline;
  const deadline = deadlineOf(j);
  if (mode === 'off' || !deadline || j.now.getTime() < deadline.getTime()) return undefined;
  if (!j.deployment || j.deployment.rolloutState === 'COMPLETED') return undefined;
  return {
    trigger: 'deadline',
    mode,
    reason: `The deployment is not COMPLETED ${minutes} minutes after it started (deadline ${deadline.toISOString()}).`,
    failures: [...failures],
    threshold: undefined,
    alarms: [],
  };
};

export { deadlineOf, deadlineTrigger };
