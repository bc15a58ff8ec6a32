import { DESCRIPTIONS } from './builtins.ts';
import { type Condition, conditionOf, holds } from './conditions.ts';
import type { AnalysisConfig } from './config.ts';
import type { AnalysisProgress, Measurement, MeasurementPhase, RunStatus } from './model.ts';

/** An analysis with its defaults and conditions resolved. */
interface ResolvedAnalysis {
  config: AnalysisConfig;
  label: string;
  unit: '%' | 's' | '';
  baseline: boolean;
  /** The request floor; 0 when the metric counts no requests. */
  minRequests: number;
  /** Whether the interval holding the window's start is left out (see builtins). */
  wholeIntervals: boolean;
  success: Condition | undefined;
  failure: Condition | undefined;
}

const resolveAnalysis = (config: AnalysisConfig): ResolvedAnalysis => {
  const d = DESCRIPTIONS[config.metric];
  const baseline = config.baseline ?? d.baseline;
  const explicit = config.successCondition !== undefined || config.failureCondition !== undefined;
  return {
    config,
    label: config.metric === 'custom' ? config.name : d.label,
    unit: d.unit,
    baseline,
    minRequests: d.countsRequests ? config.minRequests : 0,
    wholeIntervals: d.wholeIntervals,
    success: config.successCondition ? conditionOf(config.successCondition) : undefined,
    failure: config.failureCondition
      ? conditionOf(config.failureCondition)
      : explicit
        ? undefined
        : conditionOf(d.defaultFailure(baseline)),
  };
};

/** One side's value over an interval. */
interface SideValue {
  value: number | undefined;
  requests: number | undefined;
}

const inconclusive = (base: Omit<Measurement, 'phase' | 'note'>, note: string): Measurement => ({
  ...base,
  phase: 'inconclusive',
  note,
});

/**
 * Judges one interval. Too few requests on green, or no value, is inconclusive (the low-traffic
 * trap: silence is not health). A condition that needs blue's value when blue has too little
 * traffic is inconclusive too. Then Argo's rules: a failure condition that holds fails; a success
 * condition that holds succeeds; with only one of them, its opposite decides; else inconclusive.
 */
const measure = (
  analysis: ResolvedAnalysis,
  at: string,
  green: SideValue,
  blue: SideValue | undefined,
): Measurement => {
  const useBlue =
    analysis.baseline &&
    blue !== undefined &&
    blue.value !== undefined &&
    (blue.requests ?? Number.POSITIVE_INFINITY) >= analysis.minRequests;
  const base = {
    at,
    value: green.value,
    baseline: useBlue ? blue?.value : undefined,
    requests: green.requests,
    baselineRequests: blue?.requests,
  };
  if (green.requests !== undefined && green.requests < analysis.minRequests)
    return inconclusive(
      base,
      `${green.requests} requests, fewer than the ${analysis.minRequests} a measurement needs`,
    );
  if (green.value === undefined) return inconclusive(base, 'no data for the interval');
  const failed = analysis.failure ? holds(analysis.failure, green.value, base.baseline) : undefined;
  const passed = analysis.success ? holds(analysis.success, green.value, base.baseline) : undefined;
  const phase = ((): MeasurementPhase | undefined => {
    if (failed === true) return 'failed';
    if (passed === true) return 'successful';
    if (analysis.failure && analysis.success)
      return failed === false && passed === false ? 'inconclusive' : undefined;
    if (analysis.failure) return failed === false ? 'successful' : undefined;
    return passed === false ? 'failed' : undefined;
  })();
  if (phase === 'inconclusive') return inconclusive(base, 'neither condition holds');
  if (phase) return { ...base, phase, note: undefined };
  const why =
    blue?.value === undefined
      ? 'blue has no data to compare with'
      : `blue served ${blue.requests ?? 0} requests, fewer than ${analysis.minRequests}: no baseline`;
  return inconclusive(base, why);
};

/** A measurement that could not be taken (the metrics could not be read). */
const errorMeasurement = (note: string): Measurement => ({
  at: undefined,
  phase: 'error',
  value: undefined,
  baseline: undefined,
  requests: undefined,
  baselineRequests: undefined,
  note: note.slice(0, 300),
});

/**
 * Where an analysis stands (Argo's assessment): failed once failures exceed `failureLimit`,
 * inconclusive once inconclusive measurements exceed `inconclusiveLimit`, an error once errors in
 * a row exceed `consecutiveErrorLimit`, successful after `count` measurements, else running.
 */
const statusOf = (
  analysis: ResolvedAnalysis,
  measurements: readonly Measurement[],
  consecutiveErrors: number,
): RunStatus => {
  const { failureLimit, inconclusiveLimit, consecutiveErrorLimit, count } = analysis.config;
  const counted = measurements.filter((m) => m.phase !== 'error');
  const failed = counted.filter((m) => m.phase === 'failed').length;
  const unclear = counted.filter((m) => m.phase === 'inconclusive').length;
  if (failed > failureLimit) return 'failed';
  if (unclear > inconclusiveLimit) return 'inconclusive';
  if (consecutiveErrors > consecutiveErrorLimit) return 'error';
  return counted.length >= count ? 'successful' : 'running';
};

/** Adds measurements to an analysis, error streaks counted, and assesses it again. */
const advance = (
  analysis: ResolvedAnalysis,
  progress: AnalysisProgress,
  taken: readonly Measurement[],
): AnalysisProgress => {
  const measurements = [...progress.measurements];
  let { consecutiveErrors } = progress;
  let status = progress.status;
  for (const m of taken) {
    if (status !== 'running') break;
    measurements.push(m);
    consecutiveErrors = m.phase === 'error' ? consecutiveErrors + 1 : 0;
    status = statusOf(analysis, measurements, consecutiveErrors);
  }
  return { name: progress.name, measurements, consecutiveErrors, status };
};

export { advance, errorMeasurement, measure, type ResolvedAnalysis, resolveAnalysis, statusOf };
