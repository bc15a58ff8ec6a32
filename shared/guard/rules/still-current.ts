import type { RollbackRule } from './rule.ts';

/** Only the service's current (PRIMARY) deployment is rolled back; a superseded one is left alone. */
const stillCurrent: RollbackRule = ({ judged }) => {
  const d = judged.deployment;
  if (d?.status === 'PRIMARY') return undefined;
  const primary = judged.ecs.deployments.find((x) => x.status === 'PRIMARY');
  return {
    rule: 'still-current',
    outcome: 'ignore',
    reason: `deployment ${judged.deploymentId} is no longer the current one${primary ? ` (${primary.id} is)` : ''}`,
    nextSteps: [],
  };
};

export { stillCurrent };
