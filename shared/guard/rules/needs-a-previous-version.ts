import type { RollbackRule } from './rule.ts';

// Lambda retries a failed invocation one and then two minutes later, each attempt up to the
// function's timeout: a deployment's start event can be this far behind its tasks' events.
const START_MAY_LAG_MS = 5 * 60_000;

/**
 * There must be a deployment that completed to go back to (a first deployment has none). ECS
 * forgets a drained deployment, and the guard's watch remembers what the deployment replaced: a
 * deployment started moments ago whose start is not recorded yet (its event still on Lambda's
 * retries) is not known to be a first one, so the guard waits for it instead of saying so.
 */
const needsAPreviousVersion: RollbackRule = {
  id: 'needs-a-previous-version',
  title: 'There must be a deployment that completed to go back to (a first deployment has none)',
  check: ({ target, facts }) => {
    if (target) return undefined;
    const created = facts.deployment?.createdAt?.getTime();
    if (!facts.watch && created !== undefined && facts.now.getTime() - created < START_MAY_LAG_MS)
      return {
        outcome: 'ignore',
        reason: `the start of deployment ${facts.deploymentId} is not recorded yet (its event may still be on Lambda's retries), so what it replaced is not known`,
        nextSteps: [],
        retryAt: new Date(created + START_MAY_LAG_MS),
      };
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
