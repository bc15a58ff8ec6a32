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
