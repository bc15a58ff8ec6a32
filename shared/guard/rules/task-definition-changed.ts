import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { RollbackRule } from './rule.ts';

/** A deployment that kept the task definition (forced, or a network change) has nothing to undo. */
const taskDefinitionChanged: RollbackRule = {
  id: 'task-definition-changed',
  title:
    'A deployment that kept the task definition (forced, or a network change) has nothing to undo',
  check: ({ facts, target }) => {
    const current = facts.deployment?.taskDefinition || facts.watch?.taskDefinition;
    if (!target || !current || current !== target) return undefined;
    return {
      outcome: 'block',
      reason: `the deployment did not change the task definition (${shortTaskDefinition(current)}): a rollback would redeploy the same one`,
      nextSteps: [
        'Look for what changed besides the task definition: the image behind a mutable tag, secrets, configuration, capacity.',
        'Deploy a task definition that pins a working image digest.',
      ],
    };
  },
};

export { taskDefinitionChanged };
