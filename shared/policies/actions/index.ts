import { type RollbackServiceAction, rollbackService } from '#guard/actions/rollback-service.ts';
import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import type { RunnerTable } from '#kernel/runner.ts';
import { type PolicyViolationAlert, renderPolicyViolation } from '../policy-violation-alert.ts';
import {
  type DeregisterTaskDefinitionAction,
  deregisterTaskDefinition,
} from './deregister-task-definition.ts';
import { type ReportFindingsAction, reportFindings } from './report-findings.ts';
import { type StopTaskAction, stopTask } from './stop-task.ts';
import { type TagTaskDefinitionAction, tagTaskDefinition } from './tag-task-definition.ts';

/** Every action the policy enforcer's decisions return. */
type PolicyAction =
  | ReportFindingsAction
  | TagTaskDefinitionAction
  | DeregisterTaskDefinitionAction
  | StopTaskAction
  | RollbackServiceAction
  | NotifyAction<PolicyViolationAlert>;

/** The ports the policy runners use. */
type PolicyRunnerPorts = Parameters<typeof rollbackService.run>[1]['ports'];

/** The policy enforcer's runners (notify aside). */
const policyRunners: RunnerTable<
  Exclude<PolicyAction, NotifyAction<PolicyViolationAlert>>,
  PolicyRunnerPorts
> = {
  'report-findings': reportFindings,
  'tag-task-definition': tagTaskDefinition,
  'deregister-task-definition': deregisterTaskDefinition,
  'stop-task': stopTask,
  'rollback-service': rollbackService,
};

/** How the policies' alerts are put into words. */
const policyAlertRenderers: AlertRenderers<PolicyViolationAlert> = {
  'policy-violation': renderPolicyViolation,
};

export { type PolicyAction, type PolicyRunnerPorts, policyAlertRenderers, policyRunners };
