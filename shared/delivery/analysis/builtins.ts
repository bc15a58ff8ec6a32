import type { AnalysisConfig, AnalysisMetric } from './config.ts';
import type { MetricQuery, SideTarget } from './model.ts';

/** What the measured value is, for people: its name and unit. */
interface MetricDescription {
  label: string;
  unit: '%' | 's' | '';
  /** Whether it is compared with blue unless the configuration says otherwise. */
  baseline: boolean;
  /** Whether a measurement needs `minRequests` requests (health counts do not). */
  countsRequests: boolean;
  /**
   * Whether only whole intervals after the window began are measured: a minimum over an interval
   * that began before green stood (a gauge) would judge what was not there yet. A rate over such an
   * interval is only diluted, so the interval holding the window's start is measured too (sooner).
   */
  wholeIntervals: boolean;
  defaultFailure(baseline: boolean): string;
  /** The target-group metrics (and statistics) the alert's console graph shows. */
  graphed: readonly { name: string; stat: string }[];
}

/**
 * The built-in analyses (ALB target-group metrics, load-balancer-cloudwatch-metrics.html):
 * - http-5xx-rate: HTTPCode_Target_5XX_Count over RequestCount (Sum), in percent; the count is
 *   absent when zero, so a missing count with requests is a 0 % rate;
 * - p99-latency: TargetResponseTime p99, in seconds;
 * - healthy-hosts: HealthyHostCount (Minimum over the interval).
 * Defaults fail a 5xx rate one point above blue's, a p99 half again blue's and 100 ms more, and
 * no healthy host.
 */
const DESCRIPTIONS: Record<AnalysisMetric, MetricDescription> = {
  'http-5xx-rate': {
    label: 'HTTP 5xx rate',
    unit: '%',
    baseline: true,
    countsRequests: true,
    wholeIntervals: false,
    defaultFailure: (baseline) => (baseline ? 'result - baseline > 1' : 'result > 1'),
    graphed: [
      { name: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
      { name: 'RequestCount', stat: 'Sum' },
    ],
  },
  'p99-latency': {
    label: 'p99 target response time',
    unit: 's',
    baseline: true,
    countsRequests: true,
    wholeIntervals: false,
    defaultFailure: (baseline) =>
      baseline ? 'result / baseline > 1.5 and result - baseline > 0.1' : 'result > 1',
    graphed: [{ name: 'TargetResponseTime', stat: 'p99' }],
  },
  'healthy-hosts': {
    label: 'healthy targets',
    unit: '',
    baseline: false,
    countsRequests: false,
    wholeIntervals: true,
    defaultFailure: () => 'result < 1',
    graphed: [{ name: 'HealthyHostCount', stat: 'Minimum' }],
  },
  custom: {
    label: 'custom metric',
    unit: '',
    baseline: false,
    countsRequests: true,
    wholeIntervals: false,
    defaultFailure: () => 'result > 0',
    // A custom analysis reads metrics of its own: the graph shows the built-ins' only.
    graphed: [],
  },
};

const alb = (target: SideTarget, name: string, stat: string, id: string): MetricQuery => ({
  id,
  metric: {
    namespace: 'AWS/ApplicationELB',
    name,
    dimensions: {
      TargetGroup: target.targetGroup ?? '',
      LoadBalancer: target.loadBalancer ?? '',
    },
    stat,
  },
  returnData: true,
});

const PLACEHOLDER = /\$\{(targetGroup|loadBalancer|cluster|service)\}/g;

/** Fills `${targetGroup}`, `${loadBalancer}`, `${cluster}`, `${service}` for one side. */
const fill = (text: string, target: SideTarget, where: { cluster: string; service: string }) =>
  text.replace(PLACEHOLDER, (_m, name: string) => {
    if (name === 'cluster') return where.cluster;
    if (name === 'service') return where.service;
    return (name === 'targetGroup' ? target.targetGroup : target.loadBalancer) ?? '';
  });

// Identifiers of a metric math expression (query ids are lowercase-first; functions are upper case).
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The queries of an analysis for one side, with ids given a prefix so that every analysis and
 * side share one GetMetricData call; a custom expression's references are renamed alike. Local ids
 * are `result` and `requests` (what the measurement reads) and the custom queries' own.
 */
const queriesFor = (
  analysis: AnalysisConfig,
  target: SideTarget,
  where: { cluster: string; service: string },
  prefix: string,
): { queries: MetricQuery[]; unavailable?: string } => {
  const needsAlb = analysis.metric !== 'custom';
  if (needsAlb && (!target.targetGroup || !target.loadBalancer))
    return {
      queries: [],
      unavailable: 'the revision serves no Application Load Balancer target group',
    };
  switch (analysis.metric) {
    case 'http-5xx-rate':
      return {
        queries: [
          alb(target, 'HTTPCode_Target_5XX_Count', 'Sum', `${prefix}errors`),
          alb(target, 'RequestCount', 'Sum', `${prefix}requests`),
        ],
      };
    case 'p99-latency':
      return {
        queries: [
          alb(target, 'TargetResponseTime', 'p99', `${prefix}result`),
          alb(target, 'RequestCount', 'Sum', `${prefix}requests`),
        ],
      };
    case 'healthy-hosts':
      return { queries: [alb(target, 'HealthyHostCount', 'Minimum', `${prefix}result`)] };
    case 'custom': {
      const ids = new Set((analysis.queries ?? []).map((q) => q.id));
      const rename = (expression: string) =>
        fill(expression, target, where).replace(IDENTIFIER, (word) =>
          ids.has(word) ? `${prefix}${word}` : word,
        );
      return {
        queries: (analysis.queries ?? []).map((q) => ({
          id: `${prefix}${q.id}`,
          ...(q.metric
            ? {
                metric: {
                  namespace: q.metric.namespace,
                  name: q.metric.name,
                  stat: q.metric.stat,
                  dimensions: Object.fromEntries(
                    Object.entries(q.metric.dimensions).map(([k, v]) => [
                      k,
                      fill(v, target, where),
                    ]),
                  ),
                },
              }
            : {}),
          ...(q.expression ? { expression: rename(q.expression) } : {}),
          returnData: true,
        })),
      };
    }
  }
};

/** Green's (or blue's) value and request count over one period, from the side's points. */
const valueAt = (
  analysis: AnalysisConfig,
  read: (localId: string) => number | undefined,
): { value: number | undefined; requests: number | undefined } => {
  switch (analysis.metric) {
    case 'http-5xx-rate': {
      const requests = read('requests') ?? 0;
      // A count metric is absent when zero: no 5xx datapoint with requests is a 0 % rate.
      const errors = read('errors') ?? 0;
      return { value: requests > 0 ? (100 * errors) / requests : undefined, requests };
    }
    case 'p99-latency':
      return { value: read('result'), requests: read('requests') ?? 0 };
    case 'healthy-hosts':
      return { value: read('result'), requests: undefined };
    case 'custom': {
      const resultId = analysis.result ?? analysis.queries?.at(-1)?.id ?? 'result';
      return {
        value: read(resultId),
        requests: analysis.requests ? (read(analysis.requests) ?? 0) : undefined,
      };
    }
  }
};

export { DESCRIPTIONS, type MetricDescription, queriesFor, valueAt };
