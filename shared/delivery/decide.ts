import { act, type Decision } from '#kernel/decision.ts';
import type { PoliciesConfig } from '#policies/config.ts';
import type { DeliveryAction } from './actions/index.ts';
import { decideHookChange } from './approvals/decide.ts';
import type { DeliveryConfig } from './config.ts';
import { decideAnalysisRun } from './gates/analysis-gate.ts';
import { decidePolicyGate } from './gates/policy-gate.ts';
import { isFirstDeployment, keyOf, passedAt, shareAt } from './gates/run.ts';
import { answer, verdictAlert, withVerdict } from './gates/verdict.ts';
import type { DeliveryEvent, DeliveryState, HookState } from './state.ts';

/** The configuration the hook function's decisions read. */
type DeliveryDecisionConfig = PoliciesConfig & { delivery: DeliveryConfig };

const ANALYSIS_STAGES = new Set([
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
]);

const pass = (reason: string): Decision<DeliveryAction> =>
  act(reason, [answer('SUCCEEDED', reason)]);

/** The analysis gate: the first deployment and an already judged share pass at once. */
const decideAnalysis = (state: HookState): Decision<DeliveryAction> => {
  const inv = state.invocation;
  const share = shareAt(inv, state.deployment);
  if (isFirstDeployment(inv, state.deployment)) {
    const key = keyOf(share);
    const progress = withVerdict(
      inv,
      state.progress,
      state.asOf,
      {
        gate: 'analysis',
        share,
        outcome: 'skipped',
        lines: ['first deployment: no blue to compare with'],
      },
      { key, share },
    );
    // Said once per deployment: every later traffic stage of a first deployment is one too.
    const said = state.progress?.verdicts.some(
      (v) => v.gate === 'analysis' && v.outcome === 'skipped',
    );
    const alert = verdictAlert(
      inv,
      state.asOf,
      {
        gate: 'analysis',
        outcome: 'first-deployment',
        mode: state.settings.analysisGate.mode,
        answer: 'SUCCEEDED',
        runKey: key,
        share,
        reason:
          'The analysis compares green with blue; a first deployment has none, so the gate passes (the policy gate still judges it).',
      },
      state.settings.problems,
    );
    const actions: DeliveryAction[] = [
      ...(said ? [] : [alert]),
      { type: 'record-progress', progress },
      answer('SUCCEEDED', 'first deployment'),
    ];
    return act('first deployment of the service: nothing to compare with', actions);
  }
  const passed = passedAt(state.progress, share);
  if (passed)
    return pass(
      `green was judged good at ${share}% of production at ${passed.at} (${passed.stage})`,
    );
  if (!state.analysis) return pass('nothing to analyse');
  return decideAnalysisRun(state, state.analysis);
};

/**
 * A lifecycle hook invocation. A rollback (traffic going back to blue) is let through. Otherwise
 * the stage's gate judges: the policy gate at PRE_SCALE_UP, the analysis gate at
 * POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT (every step of a linear or canary
 * deployment) and POST_PRODUCTION_TRAFFIC_SHIFT; other stages pass. A failure a retry may get
 * past is thrown by load; the answer contract answers IN_PROGRESS, so ECS invokes again.
 */
const decideHook = (state: HookState, config: DeliveryDecisionConfig): Decision<DeliveryAction> => {
  const inv = state.invocation;
  if (inv.rollingBack)
    return pass(`ECS is rolling back (${inv.stage} shifts traffic back to blue): let through`);
  if (state.deployment && !['PENDING', 'IN_PROGRESS'].includes(state.deployment.status))
    return pass(`the deployment is ${state.deployment.status}: nothing to judge`);
  if (inv.stage === 'PRE_SCALE_UP') {
    if (state.settings.policyGate.mode === 'off' || !state.policy)
      return pass('the policy gate is off');
    return decidePolicyGate(state, state.policy, config);
  }
  if (ANALYSIS_STAGES.has(inv.stage)) {
    if (state.settings.analysisGate.mode === 'off') return pass('the analysis gate is off');
    return decideAnalysis(state);
  }
  return pass(`no gate at ${inv.stage}`);
};

/** The hook function's decision: pure, over the event, the state, the configuration and the time. */
const decideDelivery = (
  event: DeliveryEvent,
  state: DeliveryState,
  config: DeliveryDecisionConfig,
  now: Date,
): Decision<DeliveryAction> => {
  if (event.kind === 'hook-state-change' && state.kind === 'hook-state-change')
    return decideHookChange(event, state, now);
  if (state.kind === 'hook') return decideHook(state, config);
  return act('no state for the event', []);
};

export { type DeliveryDecisionConfig, decideDelivery };
