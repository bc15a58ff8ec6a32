/** One published data point: a statistic set, with weighted values when percentiles are known. */
export interface MetricDatum {
  at: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** [value, weight] pairs from which percentiles are read. */
  samples?: [number, number][];
}

/** A metric's identity: namespace, name and its exact set of dimensions. */
export interface MetricIdentity {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** Statistics of the data points that fall in one period. */
export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  samples: [number, number][];
  /** False when some data point carried no values (percentiles are then approximate). */
  exact: boolean;
}

// CloudWatch treats each unique combination of dimensions as a separate metric.
const keyOf = (m: MetricIdentity): string =>
  JSON.stringify([
    m.namespace,
    m.name,
    Object.entries(m.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);

/** Every data point published to CloudWatch (by AWS services or PutMetricData), per metric. */
export class MetricStore {
  readonly #series = new Map<string, { identity: MetricIdentity; data: MetricDatum[] }>();

  record(identity: MetricIdentity, datum: MetricDatum): void {
    const key = keyOf(identity);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { identity: structuredClone(identity), data: [] };
      this.#series.set(key, series);
    }
    series.data.push(datum);
  }

  /** Metrics published so far (ListMetrics-like), optionally of one namespace. */
  metrics(namespace?: string): MetricIdentity[] {
    return [...this.#series.values()]
      .map((s) => s.identity)
      .filter((m) => namespace === undefined || m.namespace === namespace);
  }

  /** Aggregates of a metric's data points in [start, end), per period starting at `start`. */
  aggregate(
    identity: MetricIdentity,
    start: number,
    end: number,
    periodMs: number,
  ): Map<number, Aggregate> {
    const out = new Map<number, Aggregate>();
    for (const d of this.#series.get(keyOf(identity))?.data ?? []) {
      if (d.at < start || d.at >= end) continue;
      const bucket = start + Math.floor((d.at - start) / periodMs) * periodMs;
      const agg = out.get(bucket) ?? {
        count: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        samples: [],
        exact: true,
      };
      agg.count += d.count;
      agg.sum += d.sum;
      agg.min = Math.min(agg.min, d.min);
      agg.max = Math.max(agg.max, d.max);
      if (d.samples !== undefined) agg.samples.push(...d.samples);
      else if (d.min === d.max) agg.samples.push([d.min, d.count]);
      else agg.exact = false;
      out.set(bucket, agg);
    }
    return out;
  }
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/;

/** Whether `stat` is a statistic this model computes (SampleCount, Sum, Average, Minimum, Maximum, pNN.NN). */
export const knownStatistic = (stat: string): boolean =>
  ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'].includes(stat) || PERCENTILE.test(stat);

/** The value of `stat` over one period's aggregate. */
export const statisticOf = (agg: Aggregate, stat: string): number => {
  if (stat === 'SampleCount') return agg.count;
  if (stat === 'Sum') return agg.sum;
  if (stat === 'Average') return agg.sum / agg.count;
  if (stat === 'Minimum') return agg.min;
  if (stat === 'Maximum') return agg.max;
  const p = Number(PERCENTILE.exec(stat)?.[1] ?? 'NaN') / 100;
  if (agg.samples.length === 0) return agg.sum / agg.count;
  const sorted = [...agg.samples].sort(([a], [b]) => a - b);
  const total = sorted.reduce((s, [, w]) => s + w, 0);
  let seen = 0;
  for (const [value, weight] of sorted) {
    seen += weight;
    if (seen >= p * total - 1e-9) return value;
  }
  return sorted.at(-1)?.[0] ?? agg.max;
};
