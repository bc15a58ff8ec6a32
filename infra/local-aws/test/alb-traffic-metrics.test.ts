import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLUE_GROUP, GREEN_GROUP, useBlueGreenSandbox } from './blue-green-sandbox.ts';
import { clientConfig } from './harness.ts';

// The AWS/ApplicationELB metrics of the simulated traffic, as "CloudWatch metrics for your
// Application Load Balancer" documents them
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html):
// reported in 60-second intervals only while requests flow, count metrics only when non-zero,
// RequestCount and HTTPCode_Target_5XX_Count summed, TargetResponseTime in seconds with percentile
// statistics, HealthyHostCount per target group, dimensions "TargetGroup, LoadBalancer" with ARN
// suffixes as values, and the load balancer's own 5xx (HTTPCode_ELB_5XX_Count, LoadBalancer only).

const LOAD_BALANCER = 'app/web-alb/50dc6c495c0c9188';
const dimensionOf = (group: string): string => group.slice(group.indexOf('targetgroup/'));

describe('Application Load Balancer metrics of the simulated traffic', () => {
  const box = useBlueGreenSandbox();
  let cloudwatch: CloudWatchClient;

  beforeEach(() => {
    cloudwatch = new CloudWatchClient(clientConfig(box.local));
  });

  afterEach(() => {
    cloudwatch.destroy();
  });

  const groupMetric = (
    id: string,
    name: string,
    group: string,
    stat: string,
    returnData = true,
  ): MetricDataQuery => ({
    Id: id,
    ReturnData: returnData,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: name,
        Dimensions: [
          { Name: 'TargetGroup', Value: dimensionOf(group) },
          { Name: 'LoadBalancer', Value: LOAD_BALANCER },
        ],
      },
      Period: 60,
      Stat: stat,
    },
  });

  it('measures a canary whose green revision raises its 5xx rate, per target group, sparse where nothing happened', async () => {
    // Prepare
    const { local, createWeb, deployV2 } = box;
    await createWeb({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 30 },
      bakeTimeInMinutes: 0,
    });
    await local.clock.advance(5 * 60_000);
    local.ecs.setHttpBehavior('web:2', { errorRate: 0.2, p50LatencyMs: 100, p99LatencyMs: 800 });
    local.ecs.setTraffic('prod', 'web', { production: 600, test: 60 });
    const quiet = local.clock.now();

    // Act
    await deployV2();
    await local.clock.advance(20 * 60_000);
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(local.clock.nowMs() - 10 * 60_000),
        EndTime: local.clock.now(),
        MetricDataQueries: [
          groupMetric('greq', 'RequestCount', GREEN_GROUP, 'Sum'),
          groupMetric('g5xx', 'HTTPCode_Target_5XX_Count', GREEN_GROUP, 'Sum', false),
          groupMetric('breq', 'RequestCount', BLUE_GROUP, 'Sum'),
          groupMetric('b5xx', 'HTTPCode_Target_5XX_Count', BLUE_GROUP, 'Sum'),
          groupMetric('gp99', 'TargetResponseTime', GREEN_GROUP, 'p99'),
          groupMetric('bp99', 'TargetResponseTime', BLUE_GROUP, 'p99'),
          groupMetric('ghosts', 'HealthyHostCount', GREEN_GROUP, 'Average'),
          { Id: 'grate', Expression: '100 * FILL(g5xx, 0) / greq' },
        ],
      }),
    );
    const before = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(quiet.getTime() - 5 * 60_000),
        EndTime: quiet,
        MetricDataQueries: [groupMetric('breq', 'RequestCount', BLUE_GROUP, 'Sum')],
      }),
    );

    // Assess
    const [greq, breq, b5xx, gp99, bp99, ghosts, grate] = out.MetricDataResults ?? [];
    // Green: 10% of 600 production requests plus all 60 test requests a minute; blue the rest.
    expect(greq?.Values).toEqual(Array.from({ length: 10 }, () => 120));
    expect(breq?.Values).toEqual(Array.from({ length: 10 }, () => 540));
    expect(b5xx?.Values).toEqual([]);
    expect(grate?.Values).toEqual(Array.from({ length: 10 }, () => 20));
    const micro = (values: number[] = []) => new Set(values.map((v) => Math.round(v * 1e6) / 1e6));
    expect(micro(gp99?.Values)).toEqual(new Set([0.8]));
    expect(micro(bp99?.Values)).toEqual(new Set([0.16]));
    expect(new Set(ghosts?.Values)).toEqual(new Set([2]));
    expect(before.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('answers with load balancer 503s for traffic weighted to a group with no healthy target, and stops when traffic stops', async () => {
    // Prepare
    const { local, createWeb } = box;
    await createWeb({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    local.ecs.setTraffic('prod', 'web', { production: 120 });

    // Act
    await local.clock.advance(3 * 60_000);
    local.ecs.setTraffic('prod', 'web', undefined);
    await local.clock.advance(3 * 60_000);
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(local.clock.nowMs() - 6 * 60_000),
        EndTime: local.clock.now(),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'elb',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ApplicationELB',
                MetricName: 'HTTPCode_ELB_5XX_Count',
                Dimensions: [{ Name: 'LoadBalancer', Value: LOAD_BALANCER }],
              },
              Period: 60,
              Stat: 'Sum',
            },
          },
          groupMetric('served', 'RequestCount', BLUE_GROUP, 'Sum'),
        ],
      }),
    );

    // Assess
    const [elb, served] = out.MetricDataResults ?? [];
    // The first tasks ran 20 s after creation; traffic is served as the targets stand at the end
    // of each 10-second slice, so the first slice's 20 requests were 503s.
    expect(elb?.Values).toEqual([20]);
    expect(served?.Values).toEqual([100, 120, 120]);
    expect(served?.Timestamps?.map((t) => t.toISOString())).toEqual([
      '2026-11-02T09:00:00.000Z',
      '2026-11-02T09:01:00.000Z',
      '2026-11-02T09:02:00.000Z',
    ]);
  });
});
