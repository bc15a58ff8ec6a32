import { PermanentError } from '#kernel/errors.ts';
import type { MetricPoints } from './analysis/model.ts';
import type { MetricRequest } from './analysis/plan.ts';
import type { MetricsPort } from './ports.ts';

/** One recorded metric series: the metric as GetMetricData names it, and its values by period start. */
interface RecordedSeries {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string;
  /** [ISO-8601 period start, value]; a period without a value has no entry (as CloudWatch). */
  points: [string, number][];
}

const sameDimensions = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * CloudWatch metrics as a replay's state gives them: files holding `{ "metrics": [series...] }`
 * (see README, "Replays"). GetMetricData's metric queries are answered from the series with the
 * same namespace, name, dimensions and statistic; metric math is not evaluated offline, so a
 * custom analysis's expression is an error measurement in a replay.
 */
class RecordedMetrics implements MetricsPort {
  readonly #series: RecordedSeries[] = [];

  constructor(stateFiles: readonly unknown[]) {
    for (const file of stateFiles) {
      const metrics = (file as { metrics?: unknown } | null)?.metrics;
      if (Array.isArray(metrics)) this.#series.push(...(metrics as RecordedSeries[]));
    }
  }

  async read(request: MetricRequest): Promise<MetricPoints> {
    const points: MetricPoints = {};
    for (const query of request.queries) {
      if (!query.metric)
        throw new PermanentError(`metric math (${query.id}) is not evaluated in an offline replay`);
      const { namespace, name, dimensions, stat } = query.metric;
      const series = this.#series.find(
        (s) =>
          s.namespace === namespace &&
          s.name === name &&
          s.stat === stat &&
          sameDimensions(s.dimensions, dimensions),
      );
      points[query.id] = {};
      for (const [at, value] of series?.points ?? []) {
        const t = Date.parse(at);
        if (t >= request.start.getTime() && t < request.end.getTime())
          (points[query.id] as Record<number, number>)[t] = value;
      }
    }
    return points;
  }
}

export { RecordedMetrics, type RecordedSeries };
