import type * as v from 'valibot';
import type { Action } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { PolicyResource } from '../config.ts';
import type { Checkpoint } from '../enforcer/checkpoint.ts';
import type { PolicyState } from '../enforcer/load.ts';
import type { PolicyTarget } from '../enforcer/target.ts';
import type { EvaluationContext, PolicyEvaluation } from '../engine.ts';

/** What an enforce-mode action sees at a checkpoint: the subject and its failing policies. */
interface EnforcementInput {
  checkpoint: Exclude<Checkpoint, { kind: 'skip' }>;
  state: PolicyState;
  target: PolicyTarget;
  context: Omit<EvaluationContext, 'tags'>;
  /** Records, for the alert of each given policy, what Harbormaster does about it, in words. */
  say(evaluations: readonly PolicyEvaluation[], text: string): void;
}

/** A failing enforce-mode policy that asks for the action, with the action's options as written. */
interface Asking<O> {
  evaluation: PolicyEvaluation;
  options: O;
}

/**
 * A policy action (Cloud Custodian's `actions:`), in one file: its name (also the executor's
 * action type: one vocabulary), the resource it applies to, the options a policy may give it, how
 * it plans executor actions from the failing enforce-mode policies that ask for it, and the runner
 * that carries them out. Adding one means this file and a line in the registry (./index.ts).
 */
interface PolicyActionKind<A extends Action = Action, O = Record<string, unknown>, P = never> {
  type: A['type'];
  resource: PolicyResource;
  /** One line for `harbormaster rules`, the README and validation messages. */
  description: string;
  /** The option fields besides `type` (valibot object entries, with defaults). */
  options(): v.ObjectEntries;
  plan(input: EnforcementInput, asking: readonly Asking<O>[]): A[];
  runner: ActionRunner<A, P>;
}

/** Defines a policy action, keeping its options, actions and runner tied together. */
const definePolicyAction = <A extends Action, O, P>(
  kind: PolicyActionKind<A, O, P>,
): PolicyActionKind<A, O, P> => kind;

export { type Asking, definePolicyAction, type EnforcementInput, type PolicyActionKind };
