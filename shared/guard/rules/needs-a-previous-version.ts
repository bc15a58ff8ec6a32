import type { RollbackRule } from './rule.ts';

/** There must be a deployment that completed to go back to (a first deployment has none). */
const needsAPreviousVersion: RollbackRule = {
  id: 'needs-a-previous-version',
  title: 'There must be a deployment that completed to go back to (a first deployment has none)',
  check: ({ target, facts }) => {
    if (target) return undefined;
    const first = facts.ecs.deployments.length <= 1;
    return {
      outcome: 'block',
      reason: first
        ? 'this is the first deployment of the service: there is no previous version to roll back to'
        : 'no earlier deployment of the service completed: there is no working version to roll back to',
      nextSteps: [
        'Fix the task definition and deploy it again.',
        'To stop ECS from retrying failing tasks meanwhile, set the desired count to 0.',
      ],
    };
  },
};

export { needsAPreviousVersion };
