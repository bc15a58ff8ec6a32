import type { EcsPort } from '#aws/ecs/port.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { GuardStore } from '../ports.ts';
import type { RollbackRecord } from '../records.ts';
import { rollBack } from './roll-back-call.ts';

/**
 * Roll a service back to a task definition with UpdateService, while it still runs the one rolled
 * back. The record is claimed first with a conditional write, so that two invocations seeing the
 * same failure roll back once. The deployment guard and enforce-mode service policies use it.
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

/**
 * Rolls a service back with UpdateService, once: the rollback record is claimed with a conditional
 * write first, so a concurrent or redelivered decision about the same deployment finds the claim
 * and does nothing. If UpdateService fails the claim is given back, so the retry can roll back.
 * Deciders check that the deployment is still the service's current one (from the state they
 * loaded just before), so a late event never undoes a newer deployment.
 */
const rollbackRunner: ActionRunner<
  RollbackAction,
  { ecs: EcsPort; guardStore: GuardStore; serviceDeployments?: ServiceDeploymentsPort }
> = {
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
  run: async (action, { ports }) => {
    const { fromDeploymentId } = action.record;
    if (!(await ports.guardStore.claimRollback(action.record))) {
      return {
        status: 'skipped',
        detail: `deployment ${fromDeploymentId} was already rolled back`,
      };
    }
    let update: Awaited<ReturnType<typeof rollBack>>;
    try {
      update = await rollBack(action, ports);
    } catch (error) {
      await ports.guardStore.releaseRollback(action.record);
      throw error;
    }
    if (update.deploymentId) {
      await ports.guardStore.recordRollbackDeployment(action.record, update.deploymentId);
    }
    return {
      status: 'done',
      detail: `${update.how} to ${shortTaskDefinition(update.taskDefinition)}: deployment ${update.deploymentId ?? action.serviceDeployment?.arn.split('/').pop() ?? 'unknown'}`,
    };
  },
};

export { type RollbackAction, rollbackRunner };
