import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { GuardAction } from './actions/index.ts';
import { guardAlert } from './alerts.ts';
import {
  failedTaskDefinitions,
  lastCompletedTaskDefinition,
  minutesSinceStart,
  originOf,
} from './deployments.ts';
import type { RollbackRecord } from './records.ts';
import { blockingVerdict } from './rules/index.ts';
import { stoppableOf } from './service-deployments.ts';
import type { DeploymentFacts } from './state.ts';
import type { Firing } from './triggers/firing.ts';

/** What a fired trigger leads to: why, and the actions. */
interface RollbackOutcome {
  reason: string;
  actions: GuardAction[];
  /** When the rollback was put off (ECS may still roll back): when to decide again. */
  retryAt?: Date;
}

/**
 * The task definition a person may roll the deployment back to now (the "Roll back now" button
 * of its alerts), or undefined when the guard's rules would refuse the rollback (a rollback, no
 * previous version, a target that failed...). The click checks the service again before acting.
 */
const rollbackTarget = (j: DeploymentFacts): string | undefined => {
  // Blue/green, linear, canary: back to blue's task definition, as planRollback does.
  const target = j.serviceDeployment?.sourceTaskDefinition ?? lastCompletedTaskDefinition(j);
  if (!target) return undefined;
  const verdict = blockingVerdict({
    facts: j,
    origin: originOf(j),
    target,
    failedTaskDefinitions: failedTaskDefinitions(j),
  });
  return verdict ? undefined : target;
};

/**
 * Turns a fired trigger into a rollback, or into an alert saying why there is none. The rules are
 * checked whatever the trigger's mode, so a notify-only trigger also says when a rollback would
 * not be possible.
 */
const planRollback = (j: DeploymentFacts, firing: Firing): RollbackOutcome => {
  // Blue/green, linear, canary: back to blue's task definition, which ECS names as the source.
  const target = j.serviceDeployment?.sourceTaskDefinition ?? lastCompletedTaskDefinition(j);
  const verdict = blockingVerdict({
    facts: j,
    origin: originOf(j),
    target,
    failedTaskDefinitions: failedTaskDefinitions(j),
  });
  if (verdict?.outcome === 'ignore') {
    return {
      reason: `${firing.trigger} fired, but ${verdict.reason}`,
      actions: [],
      ...(verdict.retryAt ? { retryAt: verdict.retryAt } : {}),
    };
  }
  const parts = {
    trigger: firing.trigger,
    failures: firing.failures,
    threshold: firing.threshold,
    target,
    alarms: firing.alarms,
    minutes: minutesSinceStart(j),
  };
  if (verdict) {
    return {
      reason: `${firing.trigger} fired; no rollback: ${verdict.reason}`,
      actions: [
        guardAlert(j, 'cannot-roll-back', {
          ...parts,
          severity: 'error',
          reason: `${firing.reason} No rollback: ${verdict.reason}.`,
          nextSteps: verdict.nextSteps,
          occurrence: verdict.rule,
        }),
      ],
    };
  }
  const to = target as string;
  if (firing.mode === 'notify') {
    return {
      reason: `${firing.trigger} fired; notify only (would roll back to ${shortTaskDefinition(to)})`,
      actions: [
        guardAlert(j, 'would-roll-back', {
          ...parts,
          severity: 'error',
          reason: firing.reason,
          nextSteps: [
            `Roll back if needed: update the service to ${shortTaskDefinition(to)}.`,
            'This trigger only notifies; set its mode to rollback to let Harbormaster act.',
          ],
          occurrence: firing.trigger,
        }),
      ],
    };
  }
  const record: RollbackRecord = {
    cluster: j.cluster,
    service: j.service,
    fromDeploymentId: j.deploymentId,
    fromTaskDefinition: j.deployment?.taskDefinition ?? '',
    toTaskDefinition: to,
    trigger: firing.trigger,
    at: j.now.toISOString(),
    rollbackDeploymentId: undefined,
  };
  const stop = stoppableOf(j.serviceDeployment);
  const actions: GuardAction[] = [
    {
      type: 'rollback',
      cluster: j.cluster,
      service: j.service,
      taskDefinition: to,
      record,
      ...(stop ? { serviceDeployment: stop } : {}),
    },
    guardAlert(j, 'rolled-back', {
      ...parts,
      severity: 'error',
      reason: firing.reason,
      nextSteps: [
        'Read the stopped reasons and exit codes below (or the alarm) to find the cause before deploying again.',
        'CI pipelines that waited for the deployment may have reported success: check them.',
      ],
    }),
  ];
  if (j.watch) actions.push({ type: 'end-watch', watch: j.watch });
  return { reason: `${firing.trigger} fired; rolling back to ${shortTaskDefinition(to)}`, actions };
};

export { planRollback, type RollbackOutcome, rollbackTarget };
