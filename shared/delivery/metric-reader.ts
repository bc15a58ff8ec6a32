import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { TransientError } from '#kernel/errors.ts';
import type { MetricPoints, MetricQuery } from './analysis/model.ts';
import type { MetricsPort } from './ports.ts';

const toQuery = (q: MetricQuery, period: number): MetricDataQuery =>
  q.metric
    ? {
        Id: q.id,
        ReturnData: q.returnData,
        MetricStat: {
          Metric: {
            Namespace: q.metric.namespace,
            MetricName: q.metric.name,
            Dimensions: Object.entries(q.metric.dimensions).map(([Name, Value]) => ({
              Name,
              Value,
            })),
          },
          Period: period,
          Stat: q.metric.stat,
        },
      }
    : { Id: q.id, ReturnData: q.returnData, Expression: q.expression, Period: period };

/**
 * MetricsPort over CloudWatch GetMetricData (API_GetMetricData.html): every query in one call,
 * pages followed with NextToken (a PartialData result), values keyed by the period they start.
 * A query CloudWatch answers with InternalError makes the reading fail (a transient error), so
 * that a missing value is never read as "no data".
 */
const createMetricReader = (client: CloudWatchClient): MetricsPort => ({
  read: async (request) => {
    const points: MetricPoints = {};
    let NextToken: string | undefined;
    do {
      const output = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: request.queries.map((q) => toQuery(q, request.periodSeconds)),
          StartTime: request.start,
          EndTime: request.end,
          ScanBy: 'TimestampAscending',
          NextToken,
        }),
      );
      for (const result of output.MetricDataResults ?? []) {
        if (result.StatusCode === 'InternalError')
          throw new TransientError(`GetMetricData could not compute ${result.Id ?? 'a query'}`);
        const id = result.Id ?? '';
        points[id] ??= {};
        const series = points[id];
        (result.Timestamps ?? []).forEach((t, i) => {
          const value = result.Values?.[i];
          if (value !== undefined) series[new Date(t).getTime()] = value;
        });
      }
      NextToken = output.NextToken;
    } while (NextToken);
    return points;
  },
});

export { createMetricReader };
