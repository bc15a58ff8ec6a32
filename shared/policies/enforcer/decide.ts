import { atLeast, type Severity } from '#kernel/alerts/model.ts';
import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { PolicyAction } from '../actions/index.ts';
import type { ReportedPolicy } from '../actions/report-findings.ts';
import type { PoliciesConfig } from '../config.ts';
import { evaluatePolicy, failingRules, type PolicyEvaluation } from '../engine.ts';
import type { PolicyViolationAlert, ReportedFinding } from '../policy-violation-alert.ts';
import { ruleById } from '../rules/index.ts';
import { inScope } from '../scope.ts';
import type { Finding } from '../types.ts';
import { formatFieldPath } from '../value-path.ts';
import { type PolicyEvent, RESOURCE_OF } from './checkpoint.ts';
import { enforcementOf } from './enforcement.ts';
import type { PolicyState } from './load.ts';
import { type PolicyTarget, targetOf } from './target.ts';

const ALERT_WINDOW_SECONDS = 24 * 60 * 60;

const CHECKPOINT_NAMES = {
  register: 'RegisterTaskDefinition',
  deploy: 'deployment',
  'run-task': 'RunTask',
  'task-start': 'task start',
} as const;

/** A finding as reports and alerts carry it: names and paths, never values. */
const reported = (finding: Finding): ReportedFinding => ({
  rule: finding.rule,
  status: finding.status,
  message: finding.message,
  container: finding.location?.container,
  path: finding.location ? formatFieldPath(finding.location.path) : undefined,
  target: finding.location?.target,
  note: finding.note,
});

const highest = (findings: readonly Finding[], floor: Severity): Severity =>
  findings.reduce<Severity>((max, f) => (atLeast(f.severity, max) ? f.severity : max), floor);

const alertOf = (
  evaluation: PolicyEvaluation,
  target: PolicyTarget,
  event: PolicyEvent,
  state: PolicyState,
  enforcement: string[],
): PolicyViolationAlert => {
  const { policy } = evaluation;
  const rules = failingRules(evaluation);
  const checkpoint = state.checkpoint.kind as PolicyViolationAlert['checkpoint'];
  const notes = [
    ...new Set(
      evaluation.findings
        .filter((f) => f.status === 'non-compliant' && f.note)
        .map((f) => f.note as string),
    ),
  ];
  return {
    kind: 'policy-violation',
    severity: policy.severity ?? highest(evaluation.failures, 'info'),
    subject: target.alertSubject,
    occurredAt: (event.meta.time ?? new Date(0)).toISOString(),
    threadId: target.threadId,
    dedup: {
      key: [
        'policy-violation',
        event.meta.account,
        event.meta.region,
        policy.name,
        // RunTask's record and its tasks' events are one occurrence: keyed by resource, not checkpoint.
        RESOURCE_OF[checkpoint],
        target.key,
        rules.join(','),
      ].join('|'),
      windowSeconds: ALERT_WINDOW_SECONDS,
    },
    policy: policy.name,
    description: policy.description,
    mode: policy.mode,
    checkpoint,
    resource: target.resource,
    findings: evaluation.failures.map(reported),
    enforcement,
    notes,
    fixes: rules.map((id) => {
      const fix = ruleById(id)?.fix;
      return fix ? `${id}: ${fix}` : `${id}: see policy ${policy.name} in the configuration.`;
    }),
  };
};

const reportOf = (evaluation: PolicyEvaluation): ReportedPolicy => ({
  policy: evaluation.policy.name,
  mode: evaluation.policy.mode,
  findings: evaluation.findings
    .filter((f) => f.status === 'non-compliant' || f.status === 'error' || f.status === 'exempt')
    .map(reported),
});

/**
 * Decides what the policies say about a checkpoint. Pure. Every in-scope policy of the
 * checkpoint's resource is evaluated; failing ones are reported (all modes), alerted (notify and
 * enforce) and enforced (enforce: tag, deregister, roll back, stop). Global dry-run is the
 * executor's: it logs these actions instead of taking them.
 */
const decidePolicies = (
  event: PolicyEvent,
  state: PolicyState,
  config: PoliciesConfig,
  now: Date,
): Decision<PolicyAction> => {
  const { checkpoint } = state;
  if (checkpoint.kind === 'skip') return ignore(checkpoint.reason);
  const target = targetOf(checkpoint, state, event.meta, config.deploymentGuard);
  if (!target) {
    return ignore(`the ${CHECKPOINT_NAMES[checkpoint.kind]}'s task definition could not be found`);
  }
  const resource = RESOURCE_OF[checkpoint.kind];
  const policies = config.policies.filter(
    (p) => p.resource === resource && inScope(p.scope, target.facts),
  );
  if (policies.length === 0) return ignore(`no ${resource} policy covers ${target.resource}`);
  const context = { now, exemptionTag: config.enforcement.exemptionTag, tags: target.facts.tags };
  const evaluations = policies.map((p) => evaluatePolicy(p, target.subject, context));
  const failing = evaluations.filter((e) => e.failures.length > 0);
  const reportable = evaluations.filter((e) => reportOf(e).findings.length > 0);
  if (reportable.length === 0) {
    return ignore(`${target.resource} complies with ${policies.map((p) => p.name).join(', ')}`);
  }
  const enforcing = failing.filter((e) => e.policy.mode === 'enforce');
  const enforcement = enforcementOf(checkpoint, state, target, enforcing, config, now);
  const alerts: PolicyAction[] = failing
    .filter((e) => e.policy.mode !== 'audit')
    .map((e) => ({
      type: 'notify',
      alert: alertOf(e, target, event, state, enforcement.words.get(e.policy.name) ?? []),
    }));
  const summary =
    failing.length === 0
      ? `${target.resource} fails only rules its exemptions cover`
      : `${target.resource} fails ${failing
          .map((e) => `${e.policy.name} (${e.policy.mode}: ${failingRules(e).join(', ')})`)
          .join('; ')}`;
  return act(summary, [
    {
      type: 'report-findings',
      checkpoint: checkpoint.kind,
      resource: target.resource,
      policies: reportable.map(reportOf),
    },
    // Alerts say what enforcement did: they go out only after it succeeded.
    ...enforcement.actions,
    ...alerts,
  ]);
};

export { decidePolicies };
