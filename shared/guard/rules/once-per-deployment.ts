import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { RollbackRule } from './rule.ts';

// Lambda retries a failed invocation one and then two minutes later, each attempt up to the
// guard's 30 s timeout: past this, a rollback begun and not answered was abandoned (its
// invocation dead-lettered, with an alert).
const IN_HAND_MS = 5 * 60_000;

/**
 * A deployment is rolled back at most once: a second trigger or a redelivered event does nothing.
 * A record whose UpdateService has not answered yet is a rollback in hand while its invocation or
 * Lambda's retries of it may still carry it out (deciding it again would only race them); after
 * that it was abandoned, and a later event decides it again. Either way the rollback's lease lets
 * only one UpdateService through, and a takeover adopts one an earlier attempt made.
 */
const oncePerDeployment: RollbackRule = {
  id: 'once-per-deployment',
  title:
    'A deployment is rolled back at most once: a second trigger or a redelivered event does nothing',
  check: ({ facts }) => {
    const found = facts.history.rollbacks.find((r) => r.fromDeploymentId === facts.deploymentId);
    if (!found) return undefined;
    const target = shortTaskDefinition(found.toTaskDefinition);
    if (found.rollbackDeploymentId !== undefined)
      return {
        outcome: 'ignore',
        reason: `deployment ${facts.deploymentId} was already rolled back to ${target} at ${found.at} (${found.trigger})`,
        nextSteps: [],
      };
    const abandonedAt = Date.parse(found.at) + IN_HAND_MS;
    if (facts.now.getTime() >= abandonedAt) return undefined;
    return {
      outcome: 'ignore',
      reason: `deployment ${facts.deploymentId} is being rolled back to ${target} since ${found.at} (${found.trigger})`,
      nextSteps: [],
      retryAt: new Date(abandonedAt),
    };
  },
};

export { oncePerDeployment };
