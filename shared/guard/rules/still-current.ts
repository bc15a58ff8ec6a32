import type { RollbackRule } from './rule.ts';

/** Only the service's current (PRIMARY) deployment is rolled back; a superseded one is left alone. */
const stillCurrent: RollbackRule = {
  id: 'still-current',
  title:
    "Only the service's current (PRIMARY) deployment is rolled back; a superseded one is left alone",
  check: ({ facts }) => {
    const d = facts.deployment;
    if (d?.status === 'PRIMARY') return undefined;
    const primary = facts.ecs.deployments.find((x) => x.status === 'PRIMARY');
    return {
      outcome: 'ignore',
      reason: `deployment ${facts.deploymentId} is no longer the current one${primary ? ` (${primary.id} is)` : ''}`,
      nextSteps: [],
    };
  },
};

export { stillCurrent };
