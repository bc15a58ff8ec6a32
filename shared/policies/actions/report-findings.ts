import type { ActionRunner } from '#kernel/runner.ts';
import type { PolicyCheckpoint, ReportedFinding } from '../policy-violation-alert.ts';

/** Log a resource's policy findings (every mode, audit included) and count them as metrics. */
interface ReportFindingsAction {
  type: 'report-findings';
  checkpoint: PolicyCheckpoint;
  resource: string;
  policies: ReportedPolicy[];
}

/** One policy's failing findings on one resource, for the report. */
interface ReportedPolicy {
  policy: string;
  mode: 'audit' | 'notify' | 'enforce';
  findings: ReportedFinding[];
}

const count = (action: ReportFindingsAction): number =>
  action.policies.reduce((sum, p) => sum + p.findings.length, 0);

/**
 * Logs a resource's failing policy findings, one structured line per policy, and counts them in
 * the PolicyViolations metric. Findings carry names and paths, never values.
 */
const reportFindings: ActionRunner<ReportFindingsAction> = {
  permissions: [],
  describe: (action) =>
    `report ${count(action)} failing finding(s) of ${action.policies.map((p) => `${p.policy} (${p.mode})`).join(', ')} on ${action.resource}`,
  run: async (action, { telemetry }) => {
    for (const policy of action.policies) {
      telemetry.log.warn('Policy violated', {
        policy: policy.policy,
        mode: policy.mode,
        checkpoint: action.checkpoint,
        resource: action.resource,
        findings: policy.findings,
      });
    }
    telemetry.counters.count('PolicyViolations', count(action));
    return { status: 'done', detail: `${count(action)} finding(s) reported` };
  },
};

export { type ReportedPolicy, type ReportFindingsAction, reportFindings };
