import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { RollbackRule } from './rule.ts';

/**
 * A deployment is rolled back at most once: a second trigger or a redelivered event does nothing.
 * A record whose UpdateService has not answered yet is a rollback in hand: the invocation that
 * recorded it carries it out, or its retries do (its plan and the rollback's lease), or its
 * failure ends in the dead-letter path with an alert. Deciding it again would only race it.
 */
const oncePerDeployment: RollbackRule = {
  id: 'once-per-deployment',
  title:
    'A deployment is rolled back at most once: a second trigger or a redelivered event does nothing',
  check: ({ facts }) => {
    const done = facts.history.rollbacks.find((r) => r.fromDeploymentId === facts.deploymentId);
    if (!done) return undefined;
    const target = shortTaskDefinition(done.toTaskDefinition);
    return {
      outcome: 'ignore',
      reason:
        done.rollbackDeploymentId === undefined
          ? `deployment ${facts.deploymentId} is being rolled back to ${target} since ${done.at} (${done.trigger})`
          : `deployment ${facts.deploymentId} was already rolled back to ${target} at ${done.at} (${done.trigger})`,
      nextSteps: [],
    };
  },
};

export { oncePerDeployment };
