import { act, type Decision } from '#kernel/decision.ts';
import type { DeliveryAction } from '../actions/index.ts';
import type { GateOutcome } from '../alerts/gate-alert.ts';
import { comparisonGraphLink, targetGroupLink } from '../alerts/links.ts';
import { DESCRIPTIONS } from '../analysis/builtins.ts';
import { advance, type ResolvedAnalysis, resolveAnalysis } from '../analysis/measure.ts';
import type { AnalysisProgress, RunStatus } from '../analysis/model.ts';
import { type PlanInput, planMeasurements, takeMeasurements } from '../analysis/plan.ts';
import { reportOf, summaryLine } from '../analysis/report.ts';
import { writeHookDetails } from '../hook/details.ts';
import { encodeRun, type GateRun } from '../hook/run-state.ts';
import type { VerdictSummary } from '../records.ts';
import type { AnalysisGateState, HookState } from '../state.ts';
import { answer, verdictAlert, withRun, withVerdict } from './verdict.ts';

// ECS invokes again after callBackDelay seconds; never sooner than this, nor later than this.
const MIN_CALLBACK_SECONDS = 5;
const MAX_CALLBACK_SECONDS = 900;
const AFTER_ERROR_SECONDS = 30;

const fresh = (name: string): AnalysisProgress => ({
  name,
  measurements: [],
  consecutiveErrors: 0,
  status: 'running',
});

/** The run's status: a failure ends it at once; otherwise the worst status once none is running. */
const overall = (statuses: readonly RunStatus[]): RunStatus => {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('running')) return 'running';
  if (statuses.includes('error')) return 'error';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  return 'successful';
};

const planInput = (
  state: HookState,
  a: AnalysisGateState,
  analyses: ResolvedAnalysis[],
): PlanInput => ({
  analyses,
  progress: a.run.analyses,
  startedAt: new Date(a.run.startedAt),
  asOf: state.asOf,
  dataDelaySeconds: state.settings.analysisGate.dataDelaySeconds,
  green: a.green,
  blue: a.blue,
  where: { cluster: state.invocation.cluster, service: state.invocation.service },
});

/** The verdict a finished run gives, in the gate's mode. */
const verdictOf = (
  status: RunStatus,
  mode: 'enforce' | 'notify',
  onInconclusive: 'pass' | 'fail',
): { outcome: GateOutcome; answer: 'SUCCEEDED' | 'FAILED' } => {
  const bad =
    status === 'failed' ||
    status === 'error' ||
    (status === 'inconclusive' && onInconclusive === 'fail');
  if (!bad)
    return { outcome: status === 'successful' ? 'passed' : 'inconclusive', answer: 'SUCCEEDED' };
  if (mode === 'notify') return { outcome: 'would-fail', answer: 'SUCCEEDED' };
  return { outcome: status === 'error' ? 'gave-up' : 'failed', answer: 'FAILED' };
};

const REASONS: Record<RunStatus, string> = {
  successful: 'Every analysis met its conditions.',
  failed: 'An analysis failed more measurements than its failure limit allows.',
  inconclusive: 'An analysis had more inconclusive measurements than its limit allows.',
  error: 'The metrics could not be read more times in a row than the error limit allows.',
  running: 'The analysis is still running.',
};

const NEXT_STEPS: Partial<Record<GateOutcome, string[]>> = {
  failed: [
    'Blue keeps serving: compare green with blue on the metrics linked below before deploying again.',
    'To trial the analysis without rollbacks, set delivery.analysisGate.mode to notify (or tag the service harbormaster:delivery:analysis-gate=notify).',
  ],
  'would-fail': [
    'This gate only notifies; set its mode to enforce to let it roll deployments back.',
  ],
  inconclusive: [
    'Measurements need traffic: lengthen the step bake time, send test traffic to green, or lower minRequests for a quiet service.',
    'To roll back on an inconclusive analysis instead, set delivery.analysisGate.onInconclusive to fail.',
  ],
  'gave-up': ['Check that the hook function may call cloudwatch:GetMetricData, and its logs.'],
};

const SUMMARY: Record<GateOutcome, VerdictSummary['outcome']> = {
  passed: 'passed',
  'first-deployment': 'skipped',
  inconclusive: 'inconclusive',
  'would-fail': 'would-fail',
  failed: 'failed',
  'gave-up': 'failed',
};

/** Measures the intervals due and either answers IN_PROGRESS or gives the run's verdict. */
const decideAnalysisRun = (state: HookState, a: AnalysisGateState): Decision<DeliveryAction> => {
  const inv = state.invocation;
  const { settings } = state;
  const analyses = settings.analysisGate.analyses.map(resolveAnalysis);
  const input = planInput(state, a, analyses);
  const plan = planMeasurements(input);
  const taken = takeMeasurements(input, plan, a.reading);
  const progresses = analyses.map((analysis) => {
    const name = analysis.config.name;
    const before = a.run.analyses.find((p) => p.name === name) ?? fresh(name);
    return advance(analysis, before, taken.get(name) ?? []);
  });
  const run: GateRun = { ...a.run, analyses: progresses };
  const status = overall(progresses.map((p) => p.status));
  const at = `${a.share}% of production`;
  if (status === 'running') {
    const { hookDetails, spills } = writeHookDetails(run);
    const wait =
      'error' in a.reading
        ? AFTER_ERROR_SECONDS
        : Math.ceil(
            ((plan.nextDueAt?.getTime() ?? state.asOf.getTime()) - state.asOf.getTime()) / 1000,
          );
    const callBackDelay = Math.min(MAX_CALLBACK_SECONDS, Math.max(MIN_CALLBACK_SECONDS, wait));
    const measured = progresses.reduce((n, p) => n + p.measurements.length, 0);
    const actions: DeliveryAction[] = spills
      ? [
          {
            type: 'record-progress',
            progress: withRun(inv, state.progress, state.asOf, run.key, encodeRun(run)),
          },
        ]
      : [];
    actions.push(
      answer('IN_PROGRESS', `analysing at ${at}: ${measured} measurements so far`, {
        callBackDelay,
        hookDetails,
      }),
    );
    return act(`analysis at ${at} running; next look in ${callBackDelay} s`, actions);
  }
  const mode = settings.analysisGate.mode === 'notify' ? 'notify' : 'enforce';
  const verdict = verdictOf(status, mode, settings.analysisGate.onInconclusive);
  const reports = analyses.map((analysis, i) =>
    reportOf(analysis, progresses[i] as AnalysisProgress),
  );
  const window = { start: new Date(run.startedAt), end: state.asOf };
  const graphed = [
    ...new Map(
      analyses
        .flatMap((analysis) => DESCRIPTIONS[analysis.config.metric].graphed)
        .map((m) => [`${m.name} ${m.stat}`, m]),
    ).values(),
  ];
  const links = [
    comparisonGraphLink(inv.region, [a.green, ...(a.blue ? [a.blue] : [])], graphed, window),
    targetGroupLink(inv.region, 'Target group (green)', a.green),
    a.blue ? targetGroupLink(inv.region, 'Target group (blue)', a.blue) : undefined,
  ].filter((l) => l !== undefined);
  const reason = `${REASONS[status]} Window from ${run.startedAt.slice(11, 16)} UTC, green at ${at}.`;
  const progress = withVerdict(
    inv,
    state.progress,
    state.asOf,
    {
      gate: 'analysis',
      share: a.share,
      outcome: SUMMARY[verdict.outcome],
      lines: reports.map(summaryLine),
    },
    verdict.answer === 'SUCCEEDED' ? { key: run.key, share: a.share } : undefined,
    run.key,
  );
  return act(`analysis at ${at} ${status}: ${verdict.outcome}, answered ${verdict.answer}`, [
    verdictAlert(
      inv,
      state.asOf,
      {
        gate: 'analysis',
        outcome: verdict.outcome,
        mode,
        answer: verdict.answer,
        reason,
        runKey: run.key,
        share: a.share,
        greenTaskDefinition: a.greenTaskDefinition,
        analyses: reports,
        nextSteps: NEXT_STEPS[verdict.outcome] ?? [],
        links,
      },
      settings.problems,
    ),
    { type: 'record-progress', progress },
    answer(verdict.answer, `analysis ${status} at ${at}`),
  ]);
};

export { decideAnalysisRun, overall, verdictOf };
