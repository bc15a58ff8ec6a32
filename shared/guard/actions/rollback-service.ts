import type { RollbackServiceAction } from '#kernel/action.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/**
 * Rolls a service back with UpdateService, once: the rollback record is claimed with a conditional
 * write first, so a concurrent or redelivered decision about the same deployment finds the claim
 * and does nothing. If UpdateService fails the claim is given back, so the retry can roll back.
 * Deciders check that the deployment is still the service's current one (from the state they
 * loaded just before), so a late event never undoes a newer deployment.
 */
const rollbackService: ActionRunner<RollbackServiceAction> = {
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
    let update: Awaited<ReturnType<typeof ports.ecs.updateServiceTaskDefinition>>;
    try {
      update = await ports.ecs.updateServiceTaskDefinition(
        action.cluster,
        action.service,
        action.taskDefinition,
      );
    } catch (error) {
      await ports.guardStore.releaseRollback(action.record);
      throw error;
    }
    if (update.deploymentId) {
      await ports.guardStore.recordRollbackDeployment(action.record, update.deploymentId);
    }
    return {
      status: 'done',
      detail: `UpdateService to ${shortTaskDefinition(update.taskDefinition)}: deployment ${update.deploymentId ?? 'unknown'}`,
    };
  },
};

export { rollbackService };
