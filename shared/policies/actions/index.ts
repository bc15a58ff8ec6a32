import { type RollbackAction, rollbackRunner } from '#guard/actions/rollback.ts';
import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import type { RunnerTable } from '#kernel/runner.ts';
import { type PolicyViolationAlert, renderPolicyViolation } from '../policy-violation-alert.ts';
import { type DeregisterAction, deregisterRunner } from './deregister.ts';
import { type ReportFindingsAction, reportFindings } from './report-findings.ts';
import { type StopAction, stopRunner } from './stop.ts';
import { type TagAction, tagRunner } from './tag.ts';

/** Every action the policy enforcer's decisions return. */
type PolicyAction =
  | ReportFindingsAction
  | TagAction
  | DeregisterAction
  | StopAction
  | RollbackAction
  | NotifyAction<PolicyViolationAlert>;

/** The ports the policy runners use. */
type PolicyRunnerPorts = Parameters<typeof rollbackRunner.run>[1]['ports'];

/** The policy enforcer's runners (notify aside). */
const policyRunners: RunnerTable<
  Exclude<PolicyAction, NotifyAction<PolicyViolationAlert>>,
  PolicyRunnerPorts
> = {
  'report-findings': reportFindings,
  tag: tagRunner,
  deregister: deregisterRunner,
  stop: stopRunner,
  rollback: rollbackRunner,
};

/** How the policies' alerts are put into words. */
const policyAlertRenderers: AlertRenderers<PolicyViolationAlert> = {
  'policy-violation': renderPolicyViolation,
};

export { type PolicyAction, type PolicyRunnerPorts, policyAlertRenderers, policyRunners };
