import type { EcsPort } from '#aws/ecs/port.ts';
import { ROLLING_BACK_STATUSES } from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';

/** The ECS call that rolls a deployment back, and what it did. */
interface RollBackCall {
  /** The deployment UpdateService started (a stop starts none: the same deployment rolls back). */
  deploymentId: string | undefined;
  taskDefinition: string;
  how: 'UpdateService' | 'StopServiceDeployment(ROLLBACK)';
}

/**
 * Rolls back with the call the deployment's strategy needs: StopServiceDeployment with ROLLBACK
 * while ECS runs a blue/green, linear or canary deployment (traffic goes back to blue, whose
 * tasks still run), UpdateService to the previous task definition otherwise. A stop ECS refuses
 * because the deployment is already rolling back (a concurrent stop, a hook's FAILED) has the
 * effect asked for.
 */
const rollBack = async (
  action: {
    cluster: string;
    service: string;
    taskDefinition: string;
    serviceDeployment?: { arn: string } | undefined;
  },
  ports: { ecs: EcsPort; serviceDeployments?: ServiceDeploymentsPort },
): Promise<RollBackCall> => {
  const stop = action.serviceDeployment;
  if (!stop || !ports.serviceDeployments) {
    const update = await ports.ecs.updateServiceTaskDefinition(
      action.cluster,
      action.service,
      action.taskDefinition,
    );
    return { ...update, how: 'UpdateService' };
  }
  try {
    await ports.serviceDeployments.stopWithRollback(stop.arn);
  } catch (error) {
    const [now] = await ports.serviceDeployments.describe([stop.arn]);
    if (!now || !ROLLING_BACK_STATUSES.has(now.status)) throw error;
  }
  return {
    deploymentId: undefined,
    taskDefinition: action.taskDefinition,
    how: 'StopServiceDeployment(ROLLBACK)',
  };
};

export { type RollBackCall, rollBack };
