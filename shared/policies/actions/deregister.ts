import type { EcsPort } from '#aws/ecs/port.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import { definePolicyAction } from './policy-action.ts';

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

/**
 * `deregister`: marks a non-compliant revision INACTIVE, so no new task or service can use it.
 *
 * ```yaml
 * actions: [{ type: deregister }]
 * ```
 */
const deregisterPolicyAction = definePolicyAction<DeregisterAction, object, { ecs: EcsPort }>({
  type: 'deregister',
  resource: 'ecs-task-definition',
  description: 'deregister the revision, so no new task or service can use it',
  options: () => ({}),
  plan: ({ checkpoint, state, say }, asking) => {
    if (checkpoint.kind !== 'register' || !state.revision || asking.length === 0) return [];
    const evaluations = asking.map((a) => a.evaluation);
    say(evaluations, 'deregister the revision, so no new task or service can use it');
    return [
      {
        type: 'deregister',
        taskDefinitionArn: state.revision.arn,
        reason: `fails ${evaluations.map((e) => e.policy.name).join(', ')}`,
      },
    ];
  },
  runner: deregisterRunner,
});

export { type DeregisterAction, deregisterPolicyAction, deregisterRunner };
