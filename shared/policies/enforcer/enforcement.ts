import { taskDefinitionRef } from '#kernel/events/arn.ts';
import { familyInScope } from '#kernel/scope.ts';
import { type AnyPolicyAction, POLICY_ACTIONS, type PolicyAction } from '../actions/index.ts';
import type { Asking, EnforcementInput } from '../actions/policy-action.ts';
import type { PoliciesConfig } from '../config.ts';
import type { PolicyEvaluation } from '../engine.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { PolicyState } from './load.ts';
import type { PolicyTarget } from './target.ts';

/** The actions enforce-mode policies ask for, and what each policy's alert says they do. */
interface Enforcement {
  actions: PolicyAction[];
  /** Policy name -> what Harbormaster does about it, in words. */
  words: Map<string, string[]>;
}

/** The failing enforce-mode policies that ask for this action, each with its options. */
const askingFor = (
  kind: AnyPolicyAction,
  enforcing: readonly PolicyEvaluation[],
): Asking<Record<string, unknown>>[] =>
  enforcing.flatMap((evaluation) => {
    const options = evaluation.policy.actions.find((a) => a.type === kind.type);
    return options ? [{ evaluation, options: options as Record<string, unknown> }] : [];
  });

/** The family of a registered revision that scope.taskFamilies leaves out, if it is. */
const familyOutOfScope = (
  checkpoint: Exclude<Checkpoint, { kind: 'skip' }>,
  state: PolicyState,
  config: PoliciesConfig,
): string | undefined => {
  if (checkpoint.kind !== 'register' || !state.revision) return undefined;
  const { family } = taskDefinitionRef(state.revision.arn);
  return familyInScope(config.scope, family) ? undefined : family;
};

/**
 * The enforcement actions of the failing enforce-mode policies at this checkpoint: every policy
 * action in the registry plans its own, in registry order.
 */
const enforcementOf = (
  checkpoint: Exclude<Checkpoint, { kind: 'skip' }>,
  state: PolicyState,
  target: PolicyTarget,
  enforcing: readonly PolicyEvaluation[],
  config: PoliciesConfig,
  now: Date,
): Enforcement => {
  const words = new Map<string, string[]>();
  const input: EnforcementInput = {
    checkpoint,
    state,
    target,
    context: { now, exemptionTag: config.enforcement.exemptionTag },
    say: (evaluations, text) => {
      for (const e of evaluations)
        words.set(e.policy.name, [...(words.get(e.policy.name) ?? []), text]);
    },
  };
  const actions: PolicyAction[] = [];
  const outOfScope = familyOutOfScope(checkpoint, state, config);
  for (const kind of POLICY_ACTIONS as readonly AnyPolicyAction[]) {
    const asking = askingFor(kind, enforcing);
    if (asking.length === 0) continue;
    // IAM cannot hold DeregisterTaskDefinition to families, so the enforcer holds revisions to them.
    if (outOfScope && kind.resource === 'ecs-task-definition') {
      input.say(
        asking.map((a) => a.evaluation),
        `the revision is left as it is (no ${kind.type}): ${outOfScope} is not in scope.taskFamilies`,
      );
      continue;
    }
    actions.push(...(kind.plan(input, asking) as PolicyAction[]));
  }
  return { actions, words };
};

export { type Enforcement, enforcementOf };
