import type { RollbackRule } from './rule.ts';

/**
 * Only deployments of the ECS controller are rolled back: rolling updates with UpdateService, and
 * blue/green, linear and canary deployments with StopServiceDeployment(ROLLBACK) once the service
 * deployment behind them is known. CODE_DEPLOY and EXTERNAL services have their own rollback.
 */
const ecsControllerOnly: RollbackRule = {
  id: 'ecs-controller-only',
  title:
    'Only deployments of the ECS controller are rolled back (rolling, blue/green, linear and canary); CODE_DEPLOY and EXTERNAL services have their own rollback',
  check: ({ facts }) => {
    const { deploymentController, strategy } = facts.ecs;
    const rolling =
      deploymentController === 'ECS' && (strategy === undefined || strategy === 'ROLLING');
    if (rolling || (deploymentController === 'ECS' && facts.serviceDeployment)) return undefined;
    if (deploymentController === 'ECS') {
      return {
        outcome: 'block',
        reason: `the service uses the ${strategy} strategy and ListServiceDeployments shows no service deployment behind deployment ${facts.deploymentId}`,
        nextSteps: [
          'Roll back with aws ecs stop-service-deployment --service-deployment-arn <arn> --stop-type ROLLBACK.',
        ],
      };
    }
    return {
      outcome: 'block',
      reason: `the service uses the ${deploymentController} deployment controller; Harbormaster rolls back deployments of the ECS controller only`,
      nextSteps: [
        deploymentController === 'CODE_DEPLOY'
          ? 'Roll back in CodeDeploy (stop the deployment with rollback), or configure its automatic rollback.'
          : 'Use the rollback of that deployment method.',
      ],
    };
  },
};

export { ecsControllerOnly };
