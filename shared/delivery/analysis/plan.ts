import { queriesFor, valueAt } from './builtins.ts';
import { errorMeasurement, measure, type ResolvedAnalysis } from './measure.ts';
import type {
  AnalysisProgress,
  Measurement,
  MetricPoints,
  MetricQuery,
  SideTarget,
} from './model.ts';

// One call never asks for more periods than this (GetMetricData allows 100,800 data points).
const MAX_INTERVALS_PER_CALL = 100;

/** One GetMetricData call: queries over [start, end) in periods of `periodSeconds`. */
interface MetricRequest {
  periodSeconds: number;
  start: Date;
  end: Date;
  queries: MetricQuery[];
}

/** The intervals an analysis measures now, and where its queries' values are found. */
interface AnalysisPlan {
  name: string;
  /** Epoch-millisecond starts of the intervals complete (and published) since the last measurement. */
  due: number[];
  /** Why the analysis cannot be measured at all (no target group), if so. */
  unavailable: string | undefined;
  greenPrefix: string;
  bluePrefix: string | undefined;
}

interface MeasurementPlan {
  analyses: AnalysisPlan[];
  requests: MetricRequest[];
  /** When the next interval of a running analysis is complete and published. */
  nextDueAt: Date | undefined;
}

/** The inputs a plan is made of, identical in load and decide so both see the same intervals. */
interface PlanInput {
  analyses: readonly ResolvedAnalysis[];
  progress: readonly AnalysisProgress[];
  startedAt: Date;
  asOf: Date;
  dataDelaySeconds: number;
  green: SideTarget;
  blue: SideTarget | undefined;
  where: { cluster: string; service: string };
}

const alignedStart = (at: Date, intervalSeconds: number, whole: boolean): number => {
  const ms = intervalSeconds * 1000;
  return (whole ? Math.ceil : Math.floor)(at.getTime() / ms) * ms;
};

/**
 * Which intervals each running analysis measures now: every interval since the window started
 * (aligned down to the interval, so that the first look comes one interval after green's first
 * request; up for a gauge, see builtins; a gate reached after a bake time measures the whole bake)
 * that is complete and whose data CloudWatch has published (`dataDelaySeconds` later), after the last
 * one measured. One GetMetricData call per interval length covers every analysis and both sides.
 */
const planMeasurements = (input: PlanInput): MeasurementPlan => {
  const analyses: AnalysisPlan[] = [];
  const byPeriod = new Map<number, { start: number; end: number; queries: MetricQuery[] }>();
  let nextDue: number | undefined;
  input.analyses.forEach((analysis, index) => {
    const { interval } = analysis.config;
    const progress = input.progress.find((p) => p.name === analysis.config.name);
    const name = analysis.config.name;
    const greenPrefix = `a${index}g_`;
    const bluePrefix = analysis.baseline && input.blue ? `a${index}b_` : undefined;
    if (progress && progress.status !== 'running') {
      analyses.push({ name, due: [], unavailable: undefined, greenPrefix, bluePrefix });
      return;
    }
    const measured = (progress?.measurements ?? []).filter((m) => m.at !== undefined).length;
    const origin = alignedStart(input.startedAt, interval, analysis.wholeIntervals);
    const step = interval * 1000;
    const due: number[] = [];
    for (let i = measured; due.length < MAX_INTERVALS_PER_CALL; i += 1) {
      const start = origin + i * step;
      if (start + step + input.dataDelaySeconds * 1000 > input.asOf.getTime()) {
        const at = start + step + input.dataDelaySeconds * 1000;
        nextDue = nextDue === undefined ? at : Math.min(nextDue, at);
        break;
      }
      due.push(start);
    }
    const green = queriesFor(analysis.config, input.green, input.where, greenPrefix);
    const blue =
      bluePrefix && input.blue
        ? queriesFor(analysis.config, input.blue, input.where, bluePrefix)
        : { queries: [] };
    analyses.push({ name, due, unavailable: green.unavailable, greenPrefix, bluePrefix });
    if (due.length === 0 || green.unavailable) return;
    const group = byPeriod.get(interval) ?? {
      start: Number.POSITIVE_INFINITY,
      end: 0,
      queries: [],
    };
    group.start = Math.min(group.start, due[0] as number);
    group.end = Math.max(group.end, (due.at(-1) as number) + step);
    group.queries.push(...green.queries, ...blue.queries);
    byPeriod.set(interval, group);
  });
  return {
    analyses,
    requests: [...byPeriod.entries()].map(([periodSeconds, g]) => ({
      periodSeconds,
      start: new Date(g.start),
      end: new Date(g.end),
      queries: g.queries,
    })),
    nextDueAt: nextDue === undefined ? undefined : new Date(nextDue),
  };
};

/** What reading the metrics gave: the points of every query, or why they could not be read. */
type MetricReading = { points: MetricPoints } | { error: string };

/**
 * The measurements each analysis takes from a reading: one per due interval, or one error
 * measurement when the metrics could not be read (it consumes no interval).
 */
const takeMeasurements = (
  input: PlanInput,
  plan: MeasurementPlan,
  reading: MetricReading,
): Map<string, Measurement[]> => {
  const taken = new Map<string, Measurement[]>();
  for (const [index, analysis] of input.analyses.entries()) {
    const p = plan.analyses[index];
    if (!p || p.due.length === 0) continue;
    if (p.unavailable) {
      taken.set(
        p.name,
        p.due.map((t) => ({
          ...errorMeasurement(''),
          at: new Date(t).toISOString(),
          phase: 'inconclusive' as const,
          note: p.unavailable,
        })),
      );
      continue;
    }
    if ('error' in reading) {
      taken.set(p.name, [errorMeasurement(reading.error)]);
      continue;
    }
    const side = (prefix: string, t: number) =>
      valueAt(analysis.config, (id) => reading.points[`${prefix}${id}`]?.[t]);
    taken.set(
      p.name,
      p.due.map((t) =>
        measure(
          analysis,
          new Date(t).toISOString(),
          side(p.greenPrefix, t),
          p.bluePrefix ? side(p.bluePrefix, t) : undefined,
        ),
      ),
    );
  }
  return taken;
};

export {
  type MeasurementPlan,
  type MetricReading,
  type MetricRequest,
  type PlanInput,
  planMeasurements,
  takeMeasurements,
};
