import type { CountedFailure } from '../failures.ts';
import type { DeploymentFacts } from '../state.ts';
import type { Firing } from './firing.ts';

/** Fires when ECS failed the deployment (SERVICE_DEPLOYMENT_FAILED) and is not rolling it back. */
const ecsFailureTrigger = (
  j: DeploymentFacts,
  ecsReason: string | undefined,
  failures: readonly CountedFailure[],
): Firing | undefined => {
  const { mode } = j.settings.ecsFailure;
  if (mode === 'off') return undefined;
  return {
    trigger: 'ecs-failure',
    mode,
    reason: `ECS failed the deployment without rolling back (${ecsReason ?? 'no reason given'}).`,
    failures: [...failures],
    threshold: undefined,
    alarms: [],
  };
};

export { ecsFailureTrigger };
