import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import type { RunnerTable } from '#kernel/runner.ts';
import { type DeploymentEventAlert, renderDeploymentEvent } from '../deployment-event-alert.ts';
import { type DeploymentGuardAlert, renderDeploymentGuard } from '../deployment-guard-alert.ts';
import {
  type EndWatchAction,
  endWatch,
  type UpdateWatchAction,
  updateWatch,
  type WatchDeploymentAction,
  watchDeployment,
} from './deployment-watch.ts';
import { type RollbackAction, rollbackRunner } from './rollback.ts';
import { type TallyFailuresAction, tallyFailures } from './tally-failures.ts';

/** The alerts the deployment guard sends. */
type GuardAlert = DeploymentGuardAlert | DeploymentEventAlert;

/** Every action the deployment guard's decisions return. */
type GuardAction =
  | RollbackAction
  | WatchDeploymentAction
  | UpdateWatchAction
  | EndWatchAction
  | TallyFailuresAction
  | NotifyAction<GuardAlert>;

/** The ports the guard's runners use. */
type GuardRunnerPorts = Parameters<typeof rollbackRunner.run>[1]['ports'] &
  Parameters<typeof watchDeployment.run>[1]['ports'];

/** The guard's runners, for the function definitions that emit its actions (notify aside). */
const guardRunners: RunnerTable<
  Exclude<GuardAction, NotifyAction<GuardAlert>>,
  GuardRunnerPorts
> = {
  // The guard also stops blue/green, linear and canary deployments with ROLLBACK.
  rollback: {
    ...rollbackRunner,
    permissions: [
      ...rollbackRunner.permissions,
      'ecs:StopServiceDeployment',
      'ecs:DescribeServiceDeployments',
    ],
  },
  'watch-deployment': watchDeployment,
  'update-watch': updateWatch,
  'end-watch': endWatch,
  'tally-failures': tallyFailures,
};

/** How the guard's alerts are put into words. */
const guardAlertRenderers: AlertRenderers<GuardAlert> = {
  'deployment-guard': renderDeploymentGuard,
  'deployment-event': renderDeploymentEvent,
};

export {
  type GuardAction,
  type GuardAlert,
  type GuardRunnerPorts,
  guardAlertRenderers,
  guardRunners,
};
