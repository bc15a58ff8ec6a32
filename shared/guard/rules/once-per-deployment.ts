import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { RollbackRule } from './rule.ts';

/**
 * A deployment is rolled back at most once: a second trigger or a redelivered event does nothing.
 * A record without the deployment UpdateService started is a rollback begun, not one made (its
 * invocation may have died): deciding it again is safe, since its lease lets only one through.
 */
const oncePerDeployment: RollbackRule = {
  id: 'once-per-deployment',
  title:
    'A deployment is rolled back at most once: a second trigger or a redelivered event does nothing',
  check: ({ facts }) => {
    const done = facts.history.rollbacks.find(
      (r) => r.fromDeploymentId === facts.deploymentId && r.rollbackDeploymentId !== undefined,
    );
    if (!done) return undefined;
    return {
      outcome: 'ignore',
      reason: `deployment ${facts.deploymentId} was already rolled back to ${shortTaskDefinition(done.toTaskDefinition)} at ${done.at} (${done.trigger})`,
      nextSteps: [],
    };
  },
};

export { oncePerDeployment };
