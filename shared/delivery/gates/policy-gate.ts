import { resolveGuardSettings } from '#guard/settings.ts';
import { act, type Decision } from '#kernel/decision.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { PoliciesConfig } from '#policies/config.ts';
import {
  checkServiceRevision,
  fixOfRule,
  type ServicePolicyResult,
} from '#policies/service-check.ts';
import type { DeliveryAction } from '../actions/index.ts';
import type { GatePolicyFailure } from '../alerts/gate-alert.ts';
import type { HookState, PolicyGateState } from '../state.ts';
import { answer, verdictAlert, withVerdict } from './verdict.ts';

const failureOf = (e: ServicePolicyResult): GatePolicyFailure => ({
  policy: e.policy,
  mode: e.mode,
  findings: e.findings,
});

const fixesOf = (results: readonly ServicePolicyResult[]): string[] => [
  ...new Set(
    results.flatMap((r) =>
      r.rules.map((id) => {
        const fix = fixOfRule(id);
        return fix ? `${id}: ${fix}` : `${id}: see the policy in the configuration.`;
      }),
    ),
  ),
];

/**
 * The policy gate at PRE_SCALE_UP, before any green task starts: green's task definition and the
 * service as green runs it are evaluated with the enforcer's policies (the ecs-service ones in
 * scope, exemptions applied). A failing enforce-mode policy fails the gate: in enforce mode the
 * answer is FAILED and ECS rolls back with no green task started; notify mode alerts and lets it
 * go on. Failing notify-mode policies are alerted either way; audit-mode ones are only counted.
 */
const decidePolicyGate = (
  state: HookState,
  p: PolicyGateState,
  config: PoliciesConfig,
): Decision<DeliveryAction> => {
  const inv = state.invocation;
  const mode = state.settings.policyGate.mode === 'notify' ? 'notify' : 'enforce';
  const td = p.taskDefinition;
  if (!td) {
    return act('the policy gate could not read green\u2019s task definition: let through', [
      verdictAlert(
        inv,
        state.asOf,
        {
          gate: 'policy',
          outcome: 'inconclusive',
          mode,
          answer: 'SUCCEEDED',
          runKey: 'policy',
          greenTaskDefinition: p.revision?.taskDefinition,
          reason: `ECS does not describe ${p.revision?.taskDefinition ?? 'green\u2019s task definition'}; the policies were not evaluated.`,
        },
        state.settings.problems,
      ),
      answer('SUCCEEDED', 'task definition unknown'),
    ]);
  }
  const name = shortTaskDefinition(p.revision?.taskDefinition ?? '');
  const family = name.split(':')[0];
  const serviceTags = Object.fromEntries(
    (p.service?.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']),
  );
  const tags = { ...td.tags, ...serviceTags };
  const facts = { cluster: inv.cluster, service: inv.service, family, tags };
  const subject = {
    taskDefinition: td.definition,
    service: p.service,
    harbormasterGuard: resolveGuardSettings(config.deploymentGuard, inv.cluster, inv.service, {
      tags: serviceTags,
      alarms: undefined,
    }).failedTasks.mode,
  };
  const context = { now: state.asOf, exemptionTag: config.enforcement.exemptionTag, tags };
  const evaluations = checkServiceRevision(config.policies, facts, subject, context);
  const failing = evaluations.filter((e) => e.findings.length > 0 && e.mode !== 'audit');
  const blocking = failing.filter((e) => e.mode === 'enforce');
  const outcome = blocking.length === 0 ? 'passed' : mode === 'enforce' ? 'failed' : 'would-fail';
  const hookStatus = outcome === 'failed' ? 'FAILED' : 'SUCCEEDED';
  const names = evaluations.map((e) => e.policy);
  const reason =
    evaluations.length === 0
      ? `No ecs-service policy covers ${inv.cluster}/${inv.service} (${name}).`
      : blocking.length > 0
        ? `${name} fails enforce-mode ${blocking.length === 1 ? 'policy' : 'policies'} ${blocking.map((e) => e.policy).join(', ')} before any of its tasks started.`
        : failing.length > 0
          ? `${name} fails only notify-mode ${failing.map((e) => e.policy).join(', ')}.`
          : `${name} complies with ${names.join(', ')}.`;
  const failures = failing.map(failureOf);
  const progress = withVerdict(
    inv,
    state.progress,
    state.asOf,
    {
      gate: 'policy',
      share: undefined,
      outcome,
      lines: failures.flatMap((f) => [`${f.policy} (${f.mode}): ${f.findings.length} findings`]),
    },
    undefined,
  );
  return act(`policy gate: ${reason}`, [
    verdictAlert(
      inv,
      state.asOf,
      {
        gate: 'policy',
        outcome,
        mode,
        answer: hookStatus,
        runKey: 'policy',
        reason,
        greenTaskDefinition: p.revision?.taskDefinition,
        policies: failures,
        nextSteps: [
          ...fixesOf(failing),
          ...(outcome === 'would-fail'
            ? [
                'This gate only notifies; set delivery.policyGate.mode to enforce to refuse such revisions.',
              ]
            : []),
        ],
      },
      state.settings.problems,
    ),
    { type: 'record-progress', progress },
    answer(hookStatus, `policy gate ${outcome}`),
  ]);
};

export { decidePolicyGate };
