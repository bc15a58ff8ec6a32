import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, failure, START } from './harness.ts';

// GetMetricData as the CloudWatch API Reference documents it
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html and
// API_MetricDataQuery: at most 500 queries and 100,800 data points a call, Ids starting with a
// lowercase letter, exactly one of MetricStat or Expression, StartTime rounded down, EndTime
// exclusive, MaxDatapoints/NextToken paging with PartialData), and metric math as "Metric math syntax
// and functions" documents it
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html: uppercase
// functions, missing values treated as 0 between time series, a division by zero dropping the point,
// comparisons giving 0/1, IF, FILL, SUM of an array, a scalar never being the final result).

const MINUTE = 60_000;
const at = (minutes: number): Date => new Date(START.getTime() + minutes * MINUTE);

describe('CloudWatch GetMetricData and metric math', () => {
  let local: LocalAws;
  let cloudwatch: CloudWatchClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    cloudwatch = new CloudWatchClient(clientConfig(local));
    await local.clock.advance(60 * MINUTE);
    // errors at minutes 1 and 3 (one sample at 1:30 joins the minute-1 bucket); requests at 0..4.
    const put = (name: string, minute: number, value: number) =>
      cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'Shop',
          MetricData: [
            {
              MetricName: name,
              Dimensions: [{ Name: 'Service', Value: 'web' }],
              Timestamp: at(minute),
              Value: value,
            },
          ],
        }),
      );
    for (const minute of [0, 1, 2, 3, 4]) await put('Requests', minute, 100);
    await put('Errors', 1, 4);
    await put('Errors', 1.5, 6);
    await put('Errors', 3, 20);
  });

  afterEach(async () => {
    cloudwatch.destroy();
    await local.close();
  });

  const metric = (
    id: string,
    name: string,
    stat = 'Sum',
    extra: Partial<MetricDataQuery> = {},
  ): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'Shop',
        MetricName: name,
        Dimensions: [{ Name: 'Service', Value: 'web' }],
      },
      Period: 60,
      Stat: stat,
    },
    ReturnData: false,
    ...extra,
  });

  const query = (queries: MetricDataQuery[], extra: Partial<GetMetricDataCommandInput> = {}) =>
    cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: at(0),
        EndTime: at(5),
        ScanBy: 'TimestampAscending',
        ...extra,
      }),
    );

  const points = (
    result: { Timestamps?: Date[]; Values?: number[] } | undefined,
  ): [number, number][] =>
    (result?.Timestamps ?? []).map((t, i) => [
      (t.getTime() - START.getTime()) / MINUTE,
      result?.Values?.[i] ?? Number.NaN,
    ]);

  it('returns sparse per-period statistics and evaluates arithmetic, comparisons, IF, FILL and SUM', async () => {
    // Act
    const out = await query([
      metric('errors', 'Errors'),
      metric('requests', 'Requests'),
      { Id: 'raw', MetricStat: metric('x', 'Errors').MetricStat, ReturnData: true },
      { Id: 'rate', Expression: '100 * errors / requests' },
      { Id: 'inverse', Expression: 'requests / errors' },
      { Id: 'high', Expression: 'errors > 10' },
      { Id: 'flagged', Expression: 'IF(errors >= 10, 1, 0)' },
      { Id: 'filled', Expression: 'FILL(errors, 0)' },
      { Id: 'total', Expression: 'SUM([errors, requests])', Label: 'all' },
    ]);

    // Assess
    const [raw, rate, inverse, high, flagged, filled, total] = out.MetricDataResults ?? [];
    expect(points(raw)).toEqual([
      [1, 10],
      [3, 20],
    ]);
    expect(raw?.Label).toBe('Errors');
    expect(raw?.StatusCode).toBe('Complete');
    // Missing errors count as 0 against present requests.
    expect(points(rate)).toEqual([
      [0, 0],
      [1, 10],
      [2, 0],
      [3, 20],
      [4, 0],
    ]);
    // Dividing by a missing (0) value drops the point.
    expect(points(inverse)).toEqual([
      [1, 10],
      [3, 5],
    ]);
    expect(points(high)).toEqual([
      [1, 0],
      [3, 1],
    ]);
    expect(points(flagged)).toEqual([
      [1, 1],
      [3, 1],
    ]);
    expect(points(filled)).toEqual([
      [0, 0],
      [1, 10],
      [2, 0],
      [3, 20],
      [4, 0],
    ]);
    expect(points(total)).toEqual([
      [0, 100],
      [1, 110],
      [2, 100],
      [3, 120],
      [4, 100],
    ]);
    expect(total?.Label).toBe('all');
  });

  it('rounds StartTime down to the minute, treats EndTime as exclusive and aggregates larger periods', async () => {
    // Act
    const out = await query(
      [
        {
          ...metric('requests', 'Requests', 'Sum'),
          ReturnData: true,
          MetricStat: { ...metric('r', 'Requests').MetricStat, Period: 120 } as never,
        },
      ],
      { StartTime: new Date(at(0).getTime() + 25_000), EndTime: at(4) },
    );

    // Assess
    expect(points(out.MetricDataResults?.[0])).toEqual([
      [0, 200],
      [2, 200],
    ]);
  });

  it('pages by data points with MaxDatapoints, NextToken and PartialData', async () => {
    // Act
    const first = await query([{ ...metric('requests', 'Requests'), ReturnData: true }], {
      MaxDatapoints: 3,
    });
    const second = await query([{ ...metric('requests', 'Requests'), ReturnData: true }], {
      MaxDatapoints: 3,
      NextToken: first.NextToken,
    });
    const newest = await query([{ ...metric('requests', 'Requests'), ReturnData: true }], {
      ScanBy: 'TimestampDescending',
    });

    // Assess
    expect(first.MetricDataResults?.[0]?.StatusCode).toBe('PartialData');
    expect(points(first.MetricDataResults?.[0]).map(([m]) => m)).toEqual([0, 1, 2]);
    expect(second.MetricDataResults?.[0]?.StatusCode).toBe('Complete');
    expect(points(second.MetricDataResults?.[0]).map(([m]) => m)).toEqual([3, 4]);
    expect(second.NextToken).toBeUndefined();
    expect(points(newest.MetricDataResults?.[0]).map(([m]) => m)).toEqual([4, 3, 2, 1, 0]);
  });

  it('refuses what CloudWatch refuses', async () => {
    // Act
    const errors = await Promise.all([
      failure(query([metric('errors', 'Errors'), { Id: 'e', Expression: 'sum(errors)' }])),
      failure(query([{ Id: 'e', Expression: 'missing * 2' }])),
      failure(query([metric('errors', 'Errors'), { Id: 'e', Expression: 'SUM(errors)' }])),
      failure(query([metric('errors', 'Errors'), { Id: 'e', Expression: 'errors +' }])),
      failure(query([{ ...metric('errors', 'Errors'), Id: 'Errors' }])),
      failure(
        query([
          { Id: 'e', Expression: 'TIME_SERIES(1)', MetricStat: metric('x', 'Errors').MetricStat },
        ]),
      ),
      failure(query([metric('errors', 'Errors'), metric('errors', 'Requests')])),
      failure(query(Array.from({ length: 501 }, (_, i) => metric(`m${i}`, 'Errors')))),
      failure(query([metric('errors', 'Errors')], { StartTime: at(5), EndTime: at(5) })),
      failure(
        query([
          {
            ...metric('errors', 'Errors'),
            MetricStat: { ...metric('x', 'Errors').MetricStat, Period: 90 } as never,
          },
        ]),
      ),
      failure(query([metric('errors', 'Errors')], { NextToken: 'not-a-token' })),
    ]);

    // Assess
    expect(errors.map((e) => e.name)).toEqual([
      ...Array.from({ length: 9 }, () => 'ValidationException'),
      'InvalidParameterValueException',
      'InvalidNextToken',
    ]);
    expect(errors[2]?.message).toContain('single time series');
    expect(errors[7]?.message).toContain('500');
  });
});
