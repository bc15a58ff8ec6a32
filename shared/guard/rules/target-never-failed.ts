import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { RollbackRule } from './rule.ts';

/** Never roll back to a task definition that itself failed on this service (no ping-pong). */
const targetNeverFailed: RollbackRule = {
  id: 'target-never-failed',
  title: 'Never roll back to a task definition that itself failed on this service (no ping-pong)',
  check: ({ target, failedTaskDefinitions }) => {
    if (!target || !failedTaskDefinitions.has(target)) return undefined;
    return {
      outcome: 'block',
      reason: `the last completed task definition, ${shortTaskDefinition(target)}, itself failed on this service before`,
      nextSteps: ['Choose a working task definition and deploy it.'],
    };
  },
};

export { targetNeverFailed };
