import type { EcsPort } from '#aws/ecs/port.ts';
import { ROLLING_BACK_STATUSES } from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { GuardStore } from '../ports.ts';
import type { RollbackRecord } from '../records.ts';
import { rollBack } from './roll-back-call.ts';

/**
 * Roll a service back to a task definition with UpdateService, while it still runs the one rolled
 * back. The deployment guard and enforce-mode service policies use it.
 */
interface RollbackAction {
  type: 'rollback';
  cluster: string;
  service: string;
  /** The target: the task definition of the last deployment that completed. */
  taskDefinition: string;
  record: RollbackRecord;
  /** Blue/green, linear, canary: the service deployment to stop with ROLLBACK instead. */
  serviceDeployment?: { arn: string } | undefined;
}

type RollbackPorts = {
  ecs: EcsPort;
  guardStore: GuardStore;
  serviceDeployments?: ServiceDeploymentsPort;
};

// Lambda's clock and ECS's may differ a little: a deployment this much older than the decision
// may still be the one the decision's UpdateService started.
const CLOCK_SKEW_MS = 5_000;
const KEEP_SECONDS = 7 * 24 * 60 * 60;

// A stop ECS accepted: the deployment is being (or was) rolled back, or stopped.
const STOPPED_STATUSES = new Set([
  ...ROLLING_BACK_STATUSES,
  'ROLLBACK_SUCCESSFUL',
  'STOP_REQUESTED',
]);

const idOf = (sd: { arn: string } | undefined) => sd?.arn.split('/').pop();

const done = (taskDefinition: string, deploymentId: string | undefined, how = 'UpdateService') => ({
  status: 'done' as const,
  detail: `${how} to ${shortTaskDefinition(taskDefinition)}: deployment ${deploymentId ?? 'unknown'}`,
});

/**
 * Rolls a service back with UpdateService (or stops a blue/green, linear or canary deployment with
 * ROLLBACK: roll-back-call.ts), once per failing deployment: the executor holds the
 * lease `rollback#<cluster>/<service>#<deployment>` around it (kernel/lease/run-once.ts). The
 * guard's rollback record is written first, so that the events of the rollback's own deployment
 * find it (it is never rolled back), and completed with the deployment UpdateService started.
 * A lease taken over from an attempt that died reads the service first: a deployment to the
 * target started since the decision is that attempt's UpdateService, and is not made again; a
 * service deployment already rolling back is that attempt's stop.
 * Deciders check that the deployment is still the service's current one (from the state they
 * loaded just before), so a late event never undoes a newer deployment.
 */
const rollbackRunner: ActionRunner<RollbackAction, RollbackPorts> = {
  permissions: [
    'ecs:UpdateService',
    // UpdateService with a task definition passes its task and execution roles to ECS.
    'iam:PassRole',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'dynamodb:UpdateItem',
  ],
  describe: (action) =>
    `roll ${action.cluster}/${action.service} back to ${shortTaskDefinition(action.taskDefinition)} (deployment ${action.record.fromDeploymentId}, ${action.record.trigger})`,
  once: {
    key: (action) =>
      `rollback#${action.cluster}/${action.service}#${action.record.fromDeploymentId}`,
    keepSeconds: KEEP_SECONDS,
    recover: async (action, { ports }) => {
      const stop = action.serviceDeployment;
      if (stop && ports.serviceDeployments) {
        // Blue/green, linear, canary: a dead attempt's stop shows as the deployment rolling back.
        const [now] = await ports.serviceDeployments.describe([stop.arn]);
        if (!now || !STOPPED_STATUSES.has(now.status)) return undefined;
        return done(
          action.taskDefinition,
          idOf(stop),
          'found the StopServiceDeployment(ROLLBACK) of an earlier attempt',
        );
      }
      const service = await ports.ecs.describeService(action.cluster, action.service);
      const since = Date.parse(action.record.at) - CLOCK_SKEW_MS;
      const started = service?.deployments.find(
        (d) => d.taskDefinition === action.taskDefinition && (d.createdAt?.getTime() ?? 0) >= since,
      );
      if (!started) return undefined;
      await ports.guardStore.recordRollbackDeployment(action.record, started.id);
      return done(
        action.taskDefinition,
        started.id,
        'found the UpdateService of an earlier attempt',
      );
    },
  },
  run: async (action, { ports }) => {
    await ports.guardStore.recordRollback(action.record);
    let update: Awaited<ReturnType<typeof rollBack>>;
    try {
      update = await rollBack(action, ports);
    } catch (error) {
      // Refused for good (the service is gone, a permission is missing): no rollback will
      // happen, so the record must not say one did. A retryable failure keeps it for the retry.
      if (!classifyFailure(error).retryable) await ports.guardStore.forgetRollback(action.record);
      throw error;
    }
    if (update.deploymentId) {
      await ports.guardStore.recordRollbackDeployment(action.record, update.deploymentId);
    }
    return done(
      update.taskDefinition,
      update.deploymentId ?? idOf(action.serviceDeployment),
      update.how,
    );
  },
};

export { type RollbackAction, rollbackRunner };
