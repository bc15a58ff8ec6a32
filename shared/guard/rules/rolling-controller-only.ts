import type { RollbackRule } from './rule.ts';

/**
 * Only the ECS rolling deployment controller is rolled back: CODE_DEPLOY and EXTERNAL services,
 * and ECS blue/green, linear and canary strategies, have their own rollback.
 */
const rollingControllerOnly: RollbackRule = {
  id: 'rolling-controller-only',
  title:
    'Only the ECS rolling deployment controller is rolled back: CODE_DEPLOY and EXTERNAL services, and ECS blue/green, linear and canary strategies, have their own rollback',
  check: ({ facts }) => {
    const { deploymentController, strategy } = facts.ecs;
    const rolling =
      deploymentController === 'ECS' && (strategy === undefined || strategy === 'ROLLING');
    if (rolling) return undefined;
    const what =
      deploymentController === 'ECS'
        ? `the ${strategy} strategy`
        : `the ${deploymentController} deployment controller`;
    return {
      outcome: 'block',
      reason: `the service uses ${what}; Harbormaster rolls back only ECS rolling updates`,
      nextSteps: [
        deploymentController === 'CODE_DEPLOY'
          ? 'Roll back in CodeDeploy (stop the deployment with rollback), or configure its automatic rollback.'
          : 'Use the rollback of that deployment method (for ECS blue/green: stop the service deployment with ROLLBACK).',
      ],
    };
  },
};

export { rollingControllerOnly };
