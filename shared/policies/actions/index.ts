import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import type { RunnerTable } from '#kernel/runner.ts';
import { type PolicyViolationAlert, renderPolicyViolation } from '../policy-violation-alert.ts';
import { deregisterPolicyAction } from './deregister.ts';
import type { PolicyActionKind } from './policy-action.ts';
import { type ReportFindingsAction, reportFindings } from './report-findings.ts';
import { rollbackPolicyAction } from './rollback.ts';
import { stopPolicyAction } from './stop.ts';
import { tagPolicyAction } from './tag.ts';

/**
 * Every policy action a policy may ask for, in the order they run at a checkpoint. A new action is
 * a file beside these (its options, its plan and its runner) and a line here.
 */
const POLICY_ACTIONS = [
  tagPolicyAction,
  deregisterPolicyAction,
  rollbackPolicyAction,
  stopPolicyAction,
] as const;

/** Any policy action, for code that walks the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds actions of every option shape.
type AnyPolicyAction = PolicyActionKind<any, any, any>;

/** The executor actions a policy action plans. */
type PlannedBy<K extends AnyPolicyAction> = ReturnType<K['plan']>[number];

/** Every action the policy enforcer's decisions return. */
type PolicyAction =
  | ReportFindingsAction
  | PlannedBy<(typeof POLICY_ACTIONS)[number]>
  | NotifyAction<PolicyViolationAlert>;

/** The ports the policy runners use. */
type PolicyRunnerPorts = Parameters<typeof rollbackPolicyAction.runner.run>[1]['ports'];

/** The policy enforcer's runners (notify aside): the report, and each policy action's. */
const policyRunners = {
  'report-findings': reportFindings,
  ...Object.fromEntries(POLICY_ACTIONS.map((kind) => [kind.type, kind.runner])),
} as RunnerTable<Exclude<PolicyAction, NotifyAction<PolicyViolationAlert>>, PolicyRunnerPorts>;

/** How the policies' alerts are put into words. */
const policyAlertRenderers: AlertRenderers<PolicyViolationAlert> = {
  'policy-violation': renderPolicyViolation,
};

export {
  type AnyPolicyAction,
  POLICY_ACTIONS,
  type PolicyAction,
  type PolicyRunnerPorts,
  policyAlertRenderers,
  policyRunners,
};
