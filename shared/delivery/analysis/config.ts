import * as v from 'valibot';
import { int, list, opt, refined, text } from '#kernel/events/schema-helpers.ts';
import { parseCondition } from './conditions.ts';

/** The built-in analyses over a revision's own ALB target group, and `custom` metric math. */
const ANALYSIS_METRICS = ['http-5xx-rate', 'p99-latency', 'healthy-hosts', 'custom'] as const;
type AnalysisMetric = (typeof ANALYSIS_METRICS)[number];

// GetMetricData ids start with a lowercase letter and hold letters, digits and underscores.
const queryId = () =>
  v.pipe(v.string(), v.regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'expected a GetMetricData id'));

const condition = () =>
  v.pipe(
    v.string(),
    v.rawCheck(({ dataset, addIssue }) => {
      const parsed = dataset.typed ? parseCondition(dataset.value as string) : undefined;
      if (typeof parsed === 'string')
        addIssue({ message: `expected a condition such as "result - baseline > 1": ${parsed}` });
    }),
  );

/**
 * One GetMetricData query of a custom analysis, as the API takes it. `${targetGroup}`,
 * `${loadBalancer}`, `${cluster}` and `${service}` in dimension values and expressions stand for
 * the revision measured (green, or blue for the baseline).
 */
const metricQuery = () =>
  refined(
    v.strictObject({
      id: queryId(),
      metric: opt(
        v.strictObject({
          namespace: text(255),
          name: text(255),
          dimensions: v.optional(v.record(text(255), text(1024)), {}),
          stat: v.optional(text(64), 'Sum'),
        }),
      ),
      expression: opt(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
    }),
    (query, report) => {
      if ((query.metric === undefined) === (query.expression === undefined))
        report([], 'give exactly one of metric and expression');
    },
  );

/**
 * One analysis, with Argo Rollouts' fields: a measurement every `interval` seconds, `count`
 * measurements, at most `failureLimit` failed and `inconclusiveLimit` inconclusive ones, and
 * `consecutiveErrorLimit` measurements that could not be taken in a row. A measurement over fewer
 * than `minRequests` requests is inconclusive, not a pass.
 */
const analysisSchema = () =>
  refined(
    v.strictObject({
      name: v.pipe(
        v.string(),
        v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected lowercase letters, digits and hyphens'),
      ),
      metric: v.picklist(ANALYSIS_METRICS),
      interval: v.optional(
        v.pipe(int(60, 3600), v.multipleOf(60, 'expected a multiple of 60 (CloudWatch periods)')),
        60,
      ),
      count: v.optional(int(1, 100), 3),
      failureLimit: v.optional(int(0, 100), 0),
      inconclusiveLimit: v.optional(int(0, 100), 1),
      consecutiveErrorLimit: v.optional(int(0, 100), 4),
      minRequests: v.optional(int(0, 1_000_000_000), 50),
      /** Compare green with blue's target group over the same window (the built-ins' default). */
      baseline: opt(v.boolean()),
      successCondition: opt(condition()),
      failureCondition: opt(condition()),
      /** custom: the queries; `result` names the one measured, `requests` a request count. */
      queries: opt(v.pipe(list(metricQuery(), 20), v.minLength(1))),
      result: opt(queryId()),
      requests: opt(queryId()),
    }),
    (analysis, report) => {
      const custom = analysis.metric === 'custom';
      if (custom && !analysis.queries) report(['queries'], 'a custom analysis needs its queries');
      if (!custom && analysis.queries)
        report(['queries'], `${analysis.metric} builds its own queries; use metric: custom`);
      if (custom && !analysis.successCondition && !analysis.failureCondition)
        report(['failureCondition'], 'a custom analysis needs a success or a failure condition');
      const ids = new Set((analysis.queries ?? []).map((q) => q.id));
      for (const key of ['result', 'requests'] as const) {
        const id = analysis[key];
        if (id !== undefined && !ids.has(id)) report([key], `no query has the id "${id}"`);
      }
    },
  );

/** What the analysis gate runs when the configuration names no analysis. */
const DEFAULT_ANALYSES = [
  { name: 'error-rate', metric: 'http-5xx-rate' as const },
  { name: 'healthy-hosts', metric: 'healthy-hosts' as const },
];

/** A list of analyses with unique names. */
const analysesSchema = () =>
  refined(list(analysisSchema(), 10), (analyses, report) => {
    const seen = new Set<string>();
    analyses.forEach((a, i) => {
      if (seen.has(a.name)) report([i, 'name'], `another analysis is named "${a.name}"`);
      seen.add(a.name);
    });
  });

type AnalysisConfig = v.InferOutput<ReturnType<typeof analysisSchema>>;

export {
  ANALYSIS_METRICS,
  type AnalysisConfig,
  type AnalysisMetric,
  analysesSchema,
  DEFAULT_ANALYSES,
};
