import { AwsError } from '../core/aws-error.ts';
import { isObject, type JsonObject, readInput } from '../core/input.ts';
import { epochSeconds } from '../core/time-format.ts';
import { evaluate, type MathScope, type MathValue, type Series } from './metric-math-eval.ts';
import { MathError, parseMath } from './metric-math-parser.ts';
import { knownStatistic, type MetricStore, statisticOf } from './metric-store.ts';

// Limits and rules of API_GetMetricData and MetricDataQuery (CloudWatch API Reference).
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;
const MINUTE = 60_000;
const DAY = 86_400_000;
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 20, 30]);

const validation = (message: string): AwsError =>
  new AwsError('ValidationException', message, 400, { queryCode: 'ValidationError' });
const invalidValue = (message: string): AwsError =>
  new AwsError('InvalidParameterValue', message, 400, { queryCode: 'InvalidParameterValue' });
const invalidToken = (): AwsError =>
  new AwsError('InvalidNextToken', 'The next token specified is invalid.', 400, {
    queryCode: 'InvalidNextToken',
  });

interface Query {
  id: string;
  label: string;
  returnData: boolean;
  period?: number;
  stat?: { namespace: string; name: string; dimensions: Record<string, string>; stat: string };
  expression?: string;
}

const checkPeriod = (period: unknown, field: string): number => {
  if (
    typeof period !== 'number' ||
    !Number.isInteger(period) ||
    period < 1 ||
    (period % 60 !== 0 && !HIGH_RESOLUTION_PERIODS.has(period))
  )
    throw invalidValue(
      `The parameter ${field} must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`,
    );
  return period;
};

const queryOf = (raw: unknown, index: number): Query => {
  const field = `MetricDataQueries.member.${index + 1}`;
  if (!isObject(raw)) throw validation(`${field} must be a structure.`);
  const id = raw.Id;
  if (typeof id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(id))
    throw validation(
      `The value ${String(id)} for parameter ${field}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
    );
  const hasStat = raw.MetricStat !== undefined;
  const hasExpression = raw.Expression !== undefined;
  if (hasStat === hasExpression)
    throw validation(
      `Exactly one element of the MetricStat or the Expression of ${field} must be specified.`,
    );
  const returnData = raw.ReturnData !== false;
  const label = typeof raw.Label === 'string' ? raw.Label : undefined;
  if (hasExpression) {
    return {
      id,
      label: label ?? id,
      returnData,
      expression: String(raw.Expression),
      ...(raw.Period === undefined ? {} : { period: checkPeriod(raw.Period, `${field}.Period`) }),
    };
  }
  const ms = isObject(raw.MetricStat) ? raw.MetricStat : {};
  const metric = isObject(ms.Metric) ? ms.Metric : {};
  const stat = typeof ms.Stat === 'string' ? ms.Stat : '';
  if (!knownStatistic(stat))
    throw invalidValue(
      `The value ${stat} for parameter ${field}.MetricStat.Stat is not a statistic this model computes.`,
    );
  if (typeof metric.Namespace !== 'string' || typeof metric.MetricName !== 'string')
    throw validation(`${field}.MetricStat.Metric needs Namespace and MetricName.`);
  const dimensions: Record<string, string> = {};
  for (const d of (Array.isArray(metric.Dimensions) ? metric.Dimensions : []).filter(isObject))
    dimensions[String(d.Name)] = String(d.Value);
  return {
    id,
    label: label ?? metric.MetricName,
    returnData,
    period: checkPeriod(ms.Period, `${field}.MetricStat.Period`),
    stat: { namespace: metric.Namespace, name: metric.MetricName, dimensions, stat },
  };
};

// StartTime is rounded down: to the minute (under 15 days ago), 5 minutes (15–63 days), the hour
// beyond; a 5/10/20/30-second period rounds it to that division of the minute.
const alignStart = (start: number, now: number, period: number): number => {
  const age = now - start;
  const unit = HIGH_RESOLUTION_PERIODS.has(period)
    ? period * 1000
    : age < 15 * DAY
      ? MINUTE
      : age < 63 * DAY
        ? 5 * MINUTE
        : 60 * MINUTE;
  return Math.floor(start / unit) * unit;
};

// Retention: periods under 60 s for 3 hours, 60 s for 15 days, 300 s for 63 days, 3600 s for 455 days.
const retainedFrom = (now: number, period: number): number =>
  now -
  (period < 60 ? 3 * 3_600_000 : period < 300 ? 15 * DAY : period < 3600 ? 63 * DAY : 455 * DAY);

/** GetMetricData over the metric store (metric queries and metric math), paged by data points. */
export const getMetricData = (store: MetricStore, input: JsonObject, now: number): JsonObject => {
  const read = readInput(input, validation);
  const raw = read.optArr('MetricDataQueries');
  if (raw === undefined || raw.length === 0)
    throw validation('The parameter MetricDataQueries is required.');
  if (raw.length > MAX_QUERIES)
    throw validation(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  const start = read.num('StartTime') * 1000;
  const end = read.num('EndTime') * 1000;
  if (start >= end)
    throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = read.optStr('ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
    throw validation(`Invalid ScanBy ${scanBy}.`);
  const maxDatapoints = Math.min(read.optNum('MaxDatapoints') ?? MAX_DATAPOINTS, MAX_DATAPOINTS);
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1)
    throw validation('MaxDatapoints must be a positive integer.');
  const queries = raw.map(queryOf);
  const ids = new Set<string>();
  for (const q of queries) {
    if (ids.has(q.id))
      throw validation(
        `The value ${q.id} for parameter MetricDataQueries.member.Id is not unique.`,
      );
    ids.add(q.id);
  }
  const byId = new Map(queries.map((q) => [q.id, q]));
  const metricPeriod = queries.find((q) => q.stat !== undefined)?.period ?? 60;
  const cache = new Map<string, MathValue>();
  const resolving = new Set<string>();
  const resolve = (id: string): MathValue => {
    const cached = cache.get(id);
    if (cached !== undefined) return cached;
    const q = byId.get(id);
    if (q === undefined) throw new MathError(`Unrecognized identifier ${id}.`);
    if (resolving.has(id)) throw new MathError(`Circular dependency on ${id}.`);
    resolving.add(id);
    const period = q.period ?? metricPeriod;
    const from = alignStart(start, now, period);
    let value: MathValue;
    if (q.stat !== undefined) {
      const series: Series = new Map();
      const retained = retainedFrom(now, period);
      for (const [at, agg] of store.aggregate(q.stat, from, end, period * 1000))
        if (at >= retained) series.set(at, statisticOf(agg, q.stat.stat));
      value = { kind: 'TS', series };
    } else {
      const grid: number[] = [];
      for (let t = from; t < end; t += period * 1000) grid.push(t);
      const scope: MathScope = {
        grid,
        periodSeconds: period,
        resolve,
        metricIds: queries.filter((x) => x.stat).map((x) => x.id),
      };
      value = evaluate(parseMath(q.expression ?? ''), scope);
    }
    resolving.delete(id);
    cache.set(id, value);
    return value;
  };
  const series = queries
    .filter((q) => q.returnData)
    .map((q) => {
      let value: MathValue;
      try {
        value = resolve(q.id);
      } catch (error) {
        if (error instanceof MathError)
          throw validation(`Error in expression ${q.id}: ${error.message}`);
        throw error;
      }
      if (value.kind !== 'TS')
        throw validation(
          `Error in expression ${q.id}: the final result must be a single time series.`,
        );
      const points = [...value.series].sort(([a], [b]) =>
        scanBy === 'TimestampAscending' ? a - b : b - a,
      );
      return { q, points };
    });
  const token = read.optStr('NextToken');
  let offset = 0;
  if (token !== undefined) {
    offset = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^datapoint:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0) throw invalidToken();
  }
  const total = series.reduce((s, x) => s + x.points.length, 0);
  let seen = 0;
  const results = series.map(({ q, points }) => {
    const from = Math.max(0, offset - seen);
    const until = Math.max(0, offset + maxDatapoints - seen);
    seen += points.length;
    const page = points.slice(from, until);
    return {
      Id: q.id,
      Label: q.label,
      Timestamps: page.map(([t]) => epochSeconds(t)),
      Values: page.map(([, v]) => v),
      StatusCode: until < points.length ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  const nextOffset = offset + maxDatapoints;
  return {
    MetricDataResults: results,
    Messages: [],
    ...(nextOffset < total
      ? { NextToken: Buffer.from(`datapoint:${nextOffset}`).toString('base64url') }
      : {}),
  };
};
