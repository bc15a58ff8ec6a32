import type { DeregisterTaskDefinitionAction } from '#kernel/action.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Deregisters a revision; one already inactive or gone is a success (safe to repeat). */
const deregisterTaskDefinition: ActionRunner<DeregisterTaskDefinitionAction> = {
  permissions: ['ecs:DeregisterTaskDefinition'],
  describe: (action) =>
    `deregister ${shortTaskDefinition(action.taskDefinitionArn)} (${action.reason})`,
  run: async (action, { ports }) => {
    const outcome = await ports.ecs.deregisterTaskDefinition(action.taskDefinitionArn);
    return {
      status: outcome === 'deregistered' ? 'done' : 'skipped',
      detail: `revision ${outcome}`,
    };
  },
};

export { deregisterTaskDefinition };
