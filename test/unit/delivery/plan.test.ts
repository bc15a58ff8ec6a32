import { describe, expect, it } from 'vitest';
import { resolveAnalysis } from '#delivery/analysis/measure.ts';
import type { SideTarget } from '#delivery/analysis/model.ts';
import { type PlanInput, planMeasurements, takeMeasurements } from '#delivery/analysis/plan.ts';
import { comparisonTargets } from '#delivery/analysis/targets.ts';
import {
  BLUE,
  BLUE_TD,
  BLUE_TG,
  deliveryConfig,
  GREEN,
  GREEN_TD,
  GREEN_TG,
  revisionOf,
} from '#support/delivery.ts';

// A custom analysis's placeholder, e.g. ${targetGroup} (written so, as a configuration file has it).
const placeholder = (name: string) => ['$', '{', name, '}'].join('');

const T0 = new Date('2026-11-21T09:00:20Z');
const minute = (n: number) => new Date(Date.parse('2026-11-21T09:00:00Z') + n * 60_000);

const targets = comparisonTargets(
  { arn: GREEN, revision: revisionOf(GREEN, GREEN_TD, GREEN_TG) },
  { arn: BLUE, revision: revisionOf(BLUE, BLUE_TD, BLUE_TG) },
);

const input = (analyses: Record<string, unknown>[], asOf: Date, delay = 60): PlanInput => ({
  analyses: deliveryConfig({
    delivery: { analysisGate: { analyses } },
  } as never).delivery.analysisGate.analyses.map(resolveAnalysis),
  progress: [],
  startedAt: T0,
  asOf,
  dataDelaySeconds: delay,
  green: targets.green,
  blue: targets.blue as SideTarget,
  where: { cluster: 'my-cluster', service: 'my-service' },
});

describe('Analysis windows and metric queries', () => {
  it('resolves green to the target group ECS serves it from, and the ALB from the listener rule', () => {
    // Assess
    expect(targets.green).toMatchObject({
      targetGroup: 'targetgroup/my-service-green/0a1b2c3d4e5f6a7b',
      loadBalancer: 'app/my-alb/50dc6c495c0c9188',
    });
    expect(targets.blue?.targetGroup).toBe('targetgroup/my-service-blue/7b6a5f4e3d2c1b0a');
  });

  it('tells green from blue by the configured groups when ECS resolved none for green', () => {
    // Act
    const { green } = comparisonTargets(
      { arn: GREEN, revision: revisionOf(GREEN, GREEN_TD, undefined) },
      { arn: BLUE, revision: revisionOf(BLUE, BLUE_TD, BLUE_TG) },
    );
    // Assess
    expect(green.targetGroupArn).toBe(GREEN_TG);
  });

  it('measures nothing before an interval is complete and published, and says when it will be', () => {
    // Act
    const plan = planMeasurements(input([{ name: 'a', metric: 'http-5xx-rate' }], minute(1.5)));
    // Assess
    expect(plan.requests).toStrictEqual([]);
    expect(plan.nextDueAt).toStrictEqual(minute(2));
  });

  it('measures every complete interval since the window began, in one call for both sides', () => {
    // Act: a gate reached after a ten-minute bake time measures the whole bake.
    const plan = planMeasurements(input([{ name: 'a', metric: 'http-5xx-rate' }], minute(11), 60));
    // Assess
    expect(plan.analyses[0]?.due).toHaveLength(10);
    expect(plan.requests).toHaveLength(1);
    expect(plan.requests[0]).toMatchObject({
      periodSeconds: 60,
      start: minute(0),
      end: minute(10),
    });
    expect(
      plan.requests[0]?.queries.map((q) => [
        q.id,
        q.metric?.name,
        q.metric?.stat,
        q.metric?.dimensions.TargetGroup,
      ]),
    ).toStrictEqual([
      [
        'a0g_errors',
        'HTTPCode_Target_5XX_Count',
        'Sum',
        'targetgroup/my-service-green/0a1b2c3d4e5f6a7b',
      ],
      ['a0g_requests', 'RequestCount', 'Sum', 'targetgroup/my-service-green/0a1b2c3d4e5f6a7b'],
      [
        'a0b_errors',
        'HTTPCode_Target_5XX_Count',
        'Sum',
        'targetgroup/my-service-blue/7b6a5f4e3d2c1b0a',
      ],
      ['a0b_requests', 'RequestCount', 'Sum', 'targetgroup/my-service-blue/7b6a5f4e3d2c1b0a'],
    ]);
  });

  it('measures a gauge from the first whole interval: a minimum over a minute before green stood is not green’s', () => {
    // Act: the window began at 09:00:20 (green's tasks came up then).
    const plan = planMeasurements(
      input(
        [
          { name: 'rate', metric: 'http-5xx-rate' },
          { name: 'hosts', metric: 'healthy-hosts' },
        ],
        minute(3),
      ),
    );
    // Assess: the rate measures 09:00 (diluted at worst, and one interval sooner); the gauge 09:01.
    expect(plan.analyses.map((a) => a.due)).toStrictEqual([
      [minute(0).getTime(), minute(1).getTime()],
      [minute(1).getTime()],
    ]);
  });

  it('reads an absent 5xx count with requests as a 0 % rate (CloudWatch omits zero counts)', () => {
    // Prepare
    const plan = input([{ name: 'a', metric: 'http-5xx-rate' }], minute(2), 0);
    const made = planMeasurements(plan);
    const t = minute(0).getTime();
    // Act
    const taken = takeMeasurements(plan, made, {
      points: { a0g_requests: { [t]: 400 }, a0b_requests: { [t]: 3000 }, a0b_errors: { [t]: 30 } },
    });
    // Assess
    expect(taken.get('a')?.[0]).toMatchObject({
      phase: 'successful',
      value: 0,
      baseline: 1,
      requests: 400,
      baselineRequests: 3000,
    });
  });

  it('renames a custom analysis\u2019s query ids in its metric math and fills the placeholders per side', () => {
    // Act
    const plan = planMeasurements(
      input(
        [
          {
            name: 'checkout',
            metric: 'custom',
            failureCondition: 'result > 2',
            queries: [
              {
                id: 'errors',
                metric: {
                  namespace: 'Shop',
                  name: 'CheckoutErrors',
                  dimensions: {
                    Service: placeholder('service'),
                    TargetGroup: placeholder('targetGroup'),
                  },
                },
              },
              {
                id: 'orders',
                metric: {
                  namespace: 'Shop',
                  name: 'Orders',
                  dimensions: { TargetGroup: placeholder('targetGroup') },
                },
              },
              { id: 'result', expression: 'FILL(errors, 0) / orders * 100' },
            ],
            requests: 'orders',
          },
        ],
        minute(2),
        0,
      ),
    );
    // Assess
    const queries = plan.requests[0]?.queries ?? [];
    expect(queries.find((q) => q.id === 'a0g_result')?.expression).toBe(
      'FILL(a0g_errors, 0) / a0g_orders * 100',
    );
    expect(queries.find((q) => q.id === 'a0g_errors')?.metric?.dimensions).toStrictEqual({
      Service: 'my-service',
      TargetGroup: 'targetgroup/my-service-green/0a1b2c3d4e5f6a7b',
    });
    expect(queries.filter((q) => q.id.startsWith('a0b_'))).toHaveLength(0);
  });

  it('marks every due interval inconclusive when the revision has no ALB target group', () => {
    // Prepare
    const plan = {
      ...input([{ name: 'a', metric: 'http-5xx-rate' }], minute(3), 0),
      green: {
        revisionArn: GREEN,
        targetGroup: undefined,
        loadBalancer: undefined,
        targetGroupArn: undefined,
      },
    };
    // Act
    const taken = takeMeasurements(plan, planMeasurements(plan), { points: {} });
    // Assess
    expect(taken.get('a')?.map((m) => m.phase)).toStrictEqual([
      'inconclusive',
      'inconclusive',
      'inconclusive',
    ]);
    expect(taken.get('a')?.[0]?.note).toContain('no Application Load Balancer target group');
  });

  it('takes one error measurement, consuming no interval, when the metrics could not be read', () => {
    // Prepare
    const plan = input([{ name: 'a', metric: 'http-5xx-rate' }], minute(4), 0);
    // Act
    const taken = takeMeasurements(plan, planMeasurements(plan), {
      error: 'ThrottlingException: Rate exceeded',
    });
    // Assess
    expect(taken.get('a')).toStrictEqual([
      expect.objectContaining({
        phase: 'error',
        at: undefined,
        note: 'ThrottlingException: Rate exceeded',
      }),
    ]);
  });
});
