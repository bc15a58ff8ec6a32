import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { RollbackRule } from './rule.ts';

/** A deployment is rolled back at most once: a second trigger or a redelivered event does nothing. */
const oncePerDeployment: RollbackRule = ({ judged }) => {
  const done = judged.history.rollbacks.find((r) => r.fromDeploymentId === judged.deploymentId);
  if (!done) return undefined;
  return {
    rule: 'once-per-deployment',
    outcome: 'ignore',
    reason: `deployment ${judged.deploymentId} was already rolled back to ${shortTaskDefinition(done.toTaskDefinition)} at ${done.at} (${done.trigger})`,
    nextSteps: [],
  };
};

export { oncePerDeployment };
