import type { RollbackRule } from './rule.ts';

/** A rollback is never rolled back: that is how a loop would start. */
const neverRollBackARollback: RollbackRule = {
  id: 'never-roll-back-a-rollback',
  title: 'A rollback is never rolled back: that is how a loop would start',
  check: ({ origin }) => {
    if (origin === 'deployment') return undefined;
    const by = origin === 'ecs-rollback' ? 'ECS' : 'Harbormaster';
    return {
      outcome: 'block',
      reason: `this deployment is a rollback by ${by}, and a rollback is never rolled back`,
      nextSteps: [
        'The last working task definition is failing now too: look for a change outside the task definition (a secret, a dependency, capacity, the network).',
        'Fix the cause, then deploy a task definition that works.',
      ],
    };
  },
};

export { neverRollBackARollback };
