import type { EcsPort } from '#aws/ecs/port.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Deregister a task definition revision, so that no new task or service can use it. */
interface DeregisterAction {
  type: 'deregister';
  taskDefinitionArn: string;
  reason: string;
}

/** Deregisters a revision; one already inactive or gone is a success (safe to repeat). */
const deregisterRunner: ActionRunner<DeregisterAction, { ecs: EcsPort }> = {
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

export { type DeregisterAction, deregisterRunner };
