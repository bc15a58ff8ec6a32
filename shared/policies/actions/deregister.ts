import type { EcsPort } from '#aws/ecs/port.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Deregister a task definition revision, so that no new task or service can use it. */
interface DeregisterAction {
  type: 'deregister';
  taskDefinitionArn: string;
  reason: string;
}

// The record of a side effect done outlives any redelivery of the event that decided it.
const KEEP_SECONDS = 7 * 24 * 60 * 60;

/** Deregisters a revision, once (a lease on it); one already inactive or gone is a success (safe to repeat). */
const deregisterRunner: ActionRunner<DeregisterAction, { ecs: EcsPort }> = {
  permissions: ['ecs:DeregisterTaskDefinition'],
  describe: (action) =>
    `deregister ${shortTaskDefinition(action.taskDefinitionArn)} (${action.reason})`,
  once: {
    key: (action) => `deregister#${action.taskDefinitionArn}`,
    keepSeconds: KEEP_SECONDS,
    repeatable: true,
  },
  run: async (action, { ports }) => {
    const outcome = await ports.ecs.deregisterTaskDefinition(action.taskDefinitionArn);
    return {
      status: outcome === 'deregistered' ? 'done' : 'skipped',
      detail: `revision ${outcome}`,
    };
  },
};

export { type DeregisterAction, deregisterRunner };
