import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHookDetails } from '#delivery/hook/details.ts';
import {
  atShare,
  BLUE,
  BLUE_TG,
  DEPLOYMENT_ARN,
  deliveryFixture,
  GREEN,
  GREEN_TG,
  hookEvent,
  type Json,
  RULE,
  SERVICE_ARN,
} from '#support/delivery.ts';
import { harbormaster } from '#support/run-command.ts';
import { compliantService } from '#support/task-definitions.ts';

const write = (dir: string, name: string, data: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
};

/** A minute's ALB metric series of one target group, as the replay's metrics state has them. */
const series = (name: string, tg: string, values: [string, number][]) => ({
  namespace: 'AWS/ApplicationELB',
  name,
  dimensions: { TargetGroup: tg.split(':').pop(), LoadBalancer: 'app/my-alb/50dc6c495c0c9188' },
  stat: 'Sum',
  points: values,
});

const minutes = (from: number, count: number, value: number): [string, number][] =>
  Array.from({ length: count }, (_, i) => [
    new Date(Date.parse('2026-11-21T09:00:00Z') + (from + i) * 60_000).toISOString(),
    value,
  ]);

describe('CLI: harbormaster replay of lifecycle hooks and Hook State Change events', () => {
  it('decides recorded hook invocations on the metrics the state gives, and alerts a pause', async () => {
    // Prepare: what ECS sent (with the time it was recorded at), and the state around it.
    const dir = mkdtempSync(join(tmpdir(), 'hm-replay-hooks-'));
    const sdk = (
      deliveryFixture('describe-service-deployments-paused-sdk').serviceDeployments as Json[]
    )[0] as Json;
    const deployments = write(dir, 'deployments.json', {
      serviceDeployments: [
        {
          ...sdk,
          serviceDeploymentArn: DEPLOYMENT_ARN,
          serviceArn: SERVICE_ARN,
          lifecycleStage: 'PRE_SCALE_UP',
          lifecycleHookDetails: [],
          targetServiceRevision: {
            arn: GREEN,
            requestedTaskCount: 2,
            runningTaskCount: 2,
            pendingTaskCount: 0,
          },
          sourceServiceRevisions: [
            { arn: BLUE, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
          ],
        },
      ],
    });
    // What `aws ecs describe-services --include TAGS` printed (the hook reads the service's tags).
    const services = write(dir, 'services.json', {
      services: [
        compliantService({
          serviceArn: SERVICE_ARN,
          serviceName: 'my-service',
          clusterArn: 'arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster',
          deploymentConfiguration: {
            strategy: 'CANARY',
            canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 0 },
          },
        }),
      ],
      failures: [],
    });
    const revision = (
      deliveryFixture('describe-service-revisions-sdk').serviceRevisions as Json[]
    )[0] as Json;
    const revisions = write(dir, 'revisions.json', {
      serviceRevisions: [
        [GREEN, GREEN_TG, 'my-app:8'],
        [BLUE, BLUE_TG, 'my-app:7'],
      ].map(([arn, tg, td]) => ({
        ...revision,
        serviceRevisionArn: arn,
        taskDefinition: `arn:aws:ecs:us-west-2:123456789012:task-definition/${td}`,
        resolvedConfiguration: {
          loadBalancers: [{ targetGroupArn: tg, productionListenerRule: RULE }],
        },
      })),
    });
    const metrics = write(dir, 'metrics.json', {
      metrics: [
        series('RequestCount', GREEN_TG, minutes(0, 5, 300)),
        series('HTTPCode_Target_5XX_Count', GREEN_TG, minutes(2, 3, 45)),
        series('RequestCount', BLUE_TG, minutes(0, 5, 6000)),
        series('HTTPCode_Target_5XX_Count', BLUE_TG, minutes(0, 5, 12)),
      ],
    });
    // The canary step's analysis began at 09:00; ECS passed back what the last answer returned.
    const { hookDetails } = writeHookDetails({
      key: 'share:5',
      stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
      share: 5,
      startedAt: '2026-11-21T09:00:00.000Z',
      analyses: [],
    });
    const events = write(dir, 'events.json', [
      hookEvent('hook-post-scale-up-docs', { time: '2026-11-21T08:58:00Z' }),
      atShare('hook-pre-production-traffic-shift-docs', 5, {
        time: '2026-11-21T09:04:10Z',
        hookDetails,
      }),
      {
        ...deliveryFixture('hook-state-change-awaiting-action-pause-hooks-docs'),
        time: '2026-11-21T09:05:00Z',
      },
    ]);
    // Act
    const result = await harbormaster(
      'replay',
      events,
      '--state',
      services,
      '--state',
      deployments,
      '--state',
      revisions,
      '--state',
      metrics,
      '--json',
    );
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const entries = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json)
      // The replay ends with a summary line per setting.
      .filter((e) => 'event' in e);
    expect(entries.map((e) => [(e.event as Json).detailType, e.outcome])).toStrictEqual([
      ['ECS Lifecycle Hook Invocation', 'acted'],
      ['ECS Lifecycle Hook Invocation', 'acted'],
      ['ECS Hook State Change', 'acted'],
    ]);
    expect(((entries[0]?.actions ?? []) as Json[]).map((a) => a.hookStatus)).toStrictEqual([
      'SUCCEEDED',
    ]);
    expect(entries[1]?.actions).toStrictEqual([
      expect.objectContaining({
        type: 'notify',
        kind: 'delivery-gate',
        gate: 'analysis',
        outcome: 'failed',
        title:
          'my-cluster/my-service analysis gate failed: ECS rolls back (PRE_PRODUCTION_TRAFFIC_SHIFT at 5% of production)',
      }),
      expect.objectContaining({
        type: 'record-progress',
        deploymentArn: DEPLOYMENT_ARN,
        passed: [],
      }),
      expect.objectContaining({ type: 'answer-hook', hookStatus: 'FAILED' }),
    ]);
    expect(entries[2]?.actions).toStrictEqual([
      expect.objectContaining({
        kind: 'delivery-approval',
        event: 'awaiting',
        title: 'my-cluster/my-service deployment paused: approval needed',
      }),
    ]);
  });
});
