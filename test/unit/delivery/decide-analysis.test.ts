import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '#config/schema.ts';
import {
  atShare,
  DEPLOYMENT_ARN,
  deliveryConfig,
  deploymentOf,
  GREEN,
  hookEvent,
  hookWorld,
  invokeHook,
  type Json,
  type Traffic,
} from '#support/delivery.ts';

const START = new Date('2026-11-21T09:00:20Z');
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

const healthy: Traffic = { requests: 600, errors: 1 };
const blueTraffic: Traffic = { requests: 6000, errors: 12 };

/** An analysis configuration quick to finish: two one-minute measurements, data published at once. */
const config = (
  analysis: Record<string, unknown> = {},
  gate: Record<string, unknown> = {},
): ConfigInput =>
  ({
    delivery: {
      analysisGate: {
        dataDelaySeconds: 0,
        analyses: [{ name: 'error-rate', metric: 'http-5xx-rate', count: 2, ...analysis }],
        ...gate,
      },
    },
  }) as ConfigInput;

const world = (green: Traffic | ((minute: number) => Traffic)) =>
  hookWorld({
    now: START,
    traffic: (side, t) => {
      if (side === 'blue') return blueTraffic;
      const minute = Math.floor((t - Date.parse('2026-11-21T09:00:00Z')) / 60_000);
      return typeof green === 'function' ? green(minute) : green;
    },
  });

/** Invokes the hook as ECS does: again after each IN_PROGRESS, with the hookDetails returned. */
const untilDecided = async (
  w: ReturnType<typeof world>,
  raw: Json,
  input: ConfigInput,
  limit = 20,
) => {
  const answers: Json[] = [];
  let event = raw;
  for (let i = 0; i < limit; i += 1) {
    const { answer } = await invokeHook(w, event, deliveryConfig(input));
    answers.push(answer);
    if (answer.hookStatus !== 'IN_PROGRESS') return answers;
    w.setNow(new Date(w.now().getTime() + (answer.callBackDelay as number) * 1000));
    event = {
      ...event,
      hookDetails: { ...((event.hookDetails as Json) ?? {}), ...(answer.hookDetails as Json) },
    };
  }
  return answers;
};

describe('Analysis gate', () => {
  it('holds the deployment with IN_PROGRESS until its measurements are taken, then passes', async () => {
    // Prepare
    const w = world(healthy);
    // Act
    const answers = await untilDecided(w, hookEvent('hook-post-test-traffic-shift-docs'), config());
    // Assess
    expect(answers.map((a) => a.hookStatus)).toStrictEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'SUCCEEDED',
    ]);
    // ECS is asked back when the next interval is complete: 09:01:00, then 09:02:00.
    expect(answers[0]).toMatchObject({
      callBackDelay: 40,
      hookDetails: { harbormaster: { v: 1, run: { k: 'share:0' } } },
    });
    expect(answers[1]?.callBackDelay).toBe(60);
    const passed = w.sns.sent.at(-1);
    expect(passed).toMatchObject({
      severity: 'info',
      title:
        'my-cluster/my-service analysis gate passed (POST_TEST_TRAFFIC_SHIFT at 0% of production)',
    });
    expect(passed?.details).toContain(
      '  09:00 UTC green 0.17% (600 req) vs blue 0.20% (6000 req): successful',
    );
    expect(w.deliveryStore.all[0]?.passed).toStrictEqual([
      expect.objectContaining({ key: 'share:0', stage: 'POST_TEST_TRAFFIC_SHIFT' }),
    ]);
  });

  it('fails a canary whose green raises its 5xx rate at the first measurement and says so with the numbers', async () => {
    // Prepare: 10 % errors on green from the canary step on; blue at 0.2 %.
    const w = world({ requests: 300, errors: 30 });
    // Act
    const answers = await untilDecided(
      w,
      atShare('hook-pre-production-traffic-shift-docs', 5),
      config(),
    );
    // Assess
    expect(answers.at(-1)).toStrictEqual({ hookStatus: 'FAILED' });
    expect(answers).toHaveLength(2);
    const failed = w.sns.sent.at(-1);
    expect(failed).toMatchObject({
      severity: 'error',
      title:
        'my-cluster/my-service analysis gate failed: ECS rolls back (PRE_PRODUCTION_TRAFFIC_SHIFT at 5% of production)',
      threadId: 'ecs-my-cluster-my-service-EZe5RNVLH6PPzHXINuP28',
    });
    expect(failed?.details).toStrictEqual([
      'error-rate (HTTP 5xx rate, fails when result - baseline > 1, at least 50 requests): failed: 0 successful, 1 failed (limit 0), 0 inconclusive (limit 1) of 2',
      '  09:00 UTC green 10.00% (300 req) vs blue 0.20% (6000 req): failed',
    ]);
    expect(failed?.links.map((l) => l.label)).toStrictEqual([
      'Deployments',
      'Metrics (green and blue)',
      'Target group (green)',
      'Target group (blue)',
      'Task definition my-app:8',
    ]);
    expect(w.deliveryStore.all[0]?.passed).toStrictEqual([]);
  });

  it.each<[string, number, string, string]>([
    [
      'fails green whose p99 rose past half again blue\u2019s and 100 ms more',
      0.45,
      'FAILED',
      'green 450 ms (600 req) vs blue 200 ms (6000 req): failed',
    ],
    [
      'passes green whose p99 rose less than half again blue\u2019s',
      0.28,
      'SUCCEEDED',
      'green 280 ms (600 req) vs blue 200 ms (6000 req): successful',
    ],
  ])('%s', async (_label, greenP99, status, line) => {
    // Prepare: blue answers at 200 ms p99.
    const w = hookWorld({
      now: START,
      traffic: (side) =>
        side === 'blue'
          ? { ...blueTraffic, p99: 0.2 }
          : { requests: 600, errors: 0, p99: greenP99 },
    });
    // Act
    const answers = await untilDecided(
      w,
      atShare('hook-pre-production-traffic-shift-docs', 5),
      config({ name: 'latency', metric: 'p99-latency', count: 1 }),
    );
    // Assess
    expect(answers.at(-1)).toStrictEqual({ hookStatus: status });
    const details = w.sns.sent.at(-1)?.details ?? [];
    expect(details[0]).toMatch(
      /^latency \(p99 target response time, fails when result \/ baseline > 1\.5 and result - baseline > 0\.1, at least 50 requests\)/,
    );
    expect(details[1]).toBe(`  09:00 UTC ${line}`);
  });

  it('fails green with no healthy target, whatever its requests', async () => {
    // Prepare
    const w = hookWorld({
      now: START,
      traffic: (side) => (side === 'blue' ? blueTraffic : { requests: 0, errors: 0, healthy: 0 }),
    });
    // Act
    const answers = await untilDecided(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      config({ name: 'hosts', metric: 'healthy-hosts', count: 1 }),
    );
    // Assess
    expect(answers.at(-1)).toStrictEqual({ hookStatus: 'FAILED' });
    // A gauge is measured from the first whole interval after the window began (09:00:20).
    expect(w.sns.sent.at(-1)?.details).toStrictEqual([
      'hosts (healthy targets, fails when result < 1): failed: 0 successful, 1 failed (limit 0), 0 inconclusive (limit 1) of 1',
      '  09:01 UTC green 0: failed',
    ]);
  });

  it('in notify mode reports what enforce mode would have decided and lets the deployment go on', async () => {
    // Prepare
    const w = world({ requests: 300, errors: 30 });
    // Act
    const answers = await untilDecided(
      w,
      atShare('hook-pre-production-traffic-shift-docs', 5),
      config({}, { mode: 'notify' }),
    );
    // Assess
    expect(answers.at(-1)).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.sns.sent.at(-1)).toMatchObject({
      severity: 'warning',
      title:
        'my-cluster/my-service analysis gate would have failed (notify mode, PRE_PRODUCTION_TRAFFIC_SHIFT at 5% of production)',
    });
  });

  it('takes the gate\u2019s mode from the service\u2019s tag', async () => {
    // Prepare
    const w = hookWorld({
      now: START,
      traffic: (side) => (side === 'blue' ? blueTraffic : { requests: 300, errors: 30 }),
      service: {
        serviceName: 'my-service',
        tags: [{ key: 'harbormaster:delivery:analysis-gate', value: 'off' }],
      },
    });
    // Act
    const answers = await untilDecided(
      w,
      atShare('hook-pre-production-traffic-shift-docs', 5),
      config(),
    );
    // Assess
    expect(answers).toStrictEqual([{ hookStatus: 'SUCCEEDED' }]);
    expect(w.metrics.requests).toHaveLength(0);
  });

  it('says a quiet service\u2019s analysis is inconclusive for lack of traffic, and passes it by default', async () => {
    // Prepare: 12 requests a minute on green, fewer than the 50 a measurement needs.
    const w = world({ requests: 12, errors: 0 });
    // Act
    const answers = await untilDecided(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      config({ inconclusiveLimit: 1 }),
    );
    // Assess
    expect(answers.at(-1)).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    const alert = w.sns.sent.at(-1);
    expect(alert).toMatchObject({
      severity: 'warning',
      title: expect.stringContaining('analysis gate inconclusive'),
    });
    expect(alert?.details).toContain(
      '  09:00 UTC green 0.00% (12 req) vs blue 0.20% (6000 req): inconclusive: 12 requests, fewer than the 50 a measurement needs',
    );
    expect(alert?.nextSteps[0]).toContain('Measurements need traffic');
  });

  it('rolls an inconclusive analysis back when configured to', async () => {
    // Prepare
    const w = world({ requests: 12, errors: 0 });
    // Act
    const answers = await untilDecided(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      config({ inconclusiveLimit: 0 }, { onInconclusive: 'fail' }),
    );
    // Assess
    expect(answers.at(-1)).toStrictEqual({ hookStatus: 'FAILED' });
  });

  it('counts metrics it cannot read as errors, retries them, and gives up past the error limit', async () => {
    // Prepare
    const w = world(healthy);
    w.metrics.failWith = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    // Act
    const answers = await untilDecided(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      config({ consecutiveErrorLimit: 2 }),
    );
    // Assess
    expect(answers.map((a) => a.hookStatus)).toStrictEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'FAILED',
    ]);
    expect(answers[1]?.callBackDelay).toBe(30);
    expect(w.sns.sent.at(-1)?.title).toContain('analysis gate could not judge: ECS rolls back');
  });

  it('does not judge again a share an earlier stage passed (green at 0 % after the test traffic analysis)', async () => {
    // Prepare
    const w = world(healthy);
    await untilDecided(w, hookEvent('hook-post-test-traffic-shift-docs'), config());
    const reads = w.metrics.requests.length;
    // Act
    const answers = await untilDecided(
      w,
      hookEvent('hook-pre-production-traffic-shift-docs'),
      config(),
    );
    // Assess
    expect(answers).toStrictEqual([{ hookStatus: 'SUCCEEDED' }]);
    expect(w.metrics.requests).toHaveLength(reads);
  });

  it('measures the whole step bake time at the next step at once, from the moment it let the last step through', async () => {
    // Prepare: share 0 passes at 09:00:20 + 2 min; the canary share 5 bakes 10 minutes; green fails at minute 6.
    const w = world((minute) => (minute >= 8 ? { requests: 300, errors: 40 } : healthy));
    await untilDecided(
      w,
      hookEvent('hook-pre-production-traffic-shift-docs'),
      config({ count: 1 }),
    );
    w.setNow(at(12.5));
    // Act
    const answers = await untilDecided(
      w,
      atShare('hook-pre-production-traffic-shift-docs', 5),
      config({ count: 20 }),
    );
    // Assess
    expect(answers).toStrictEqual([{ hookStatus: 'FAILED' }]);
    const lines = w.sns.sent.at(-1)?.details ?? [];
    expect(lines.filter((l) => l.endsWith(': successful'))).toHaveLength(7);
    expect(lines.at(-1)).toBe(
      '  09:08 UTC green 13.33% (300 req) vs blue 0.20% (6000 req): failed',
    );
  });

  it('passes a service\u2019s first deployment, saying there is nothing to compare with', async () => {
    // Prepare
    const w = world(healthy);
    w.serviceDeployments.deployments.set(DEPLOYMENT_ARN, deploymentOf({ source: [] }));
    // Act
    const answers = await untilDecided(w, hookEvent('hook-post-test-traffic-shift-docs'), config());
    // Assess
    expect(answers).toStrictEqual([{ hookStatus: 'SUCCEEDED' }]);
    expect(w.sns.sent[0]).toMatchObject({
      severity: 'info',
      title: 'my-cluster/my-service analysis gate: first deployment, nothing to compare with',
    });
    expect(w.metrics.requests).toHaveLength(0);
    // Act: a later traffic stage of the same deployment, at another share.
    const preProduction = hookEvent('hook-pre-production-traffic-shift-docs') as Json;
    const later = await untilDecided(
      w,
      {
        ...preProduction,
        executionDetails: {
          ...(preProduction.executionDetails as Json),
          productionTrafficWeights: { [GREEN]: 100 },
        },
      },
      config(),
    );
    // Assess: it passes too, without saying so again.
    expect(later).toStrictEqual([{ hookStatus: 'SUCCEEDED' }]);
    expect(w.sns.sent).toHaveLength(1);
  });

  it('keeps a run too large for hookDetails in the table and reads it back on the next invocation', async () => {
    // Prepare: many analyses with many measurements (a long count, a quiet minute in between).
    const analyses = Array.from({ length: 6 }, (_, i) => ({
      name: `rate-${i}`,
      metric: 'http-5xx-rate',
      count: 30,
      inconclusiveLimit: 30,
    }));
    const w = world(healthy);
    w.setNow(at(0));
    const input = { delivery: { analysisGate: { dataDelaySeconds: 0, analyses } } } as ConfigInput;
    // Act
    const answers = await untilDecided(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      input,
      40,
    );
    // Assess
    const refs = answers.filter(
      (a) =>
        (a.hookDetails as Json | undefined)?.harbormaster &&
        typeof ((a.hookDetails as Json).harbormaster as Json).ref === 'string',
    );
    expect(refs.length).toBeGreaterThan(0);
    expect(answers.at(-1)).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    const alert = w.sns.sent.at(-1);
    expect(alert?.details.filter((l) => l.startsWith('rate-0'))).toStrictEqual([
      expect.stringContaining('30 successful'),
    ]);
    expect(w.deliveryStore.all[0]?.runs).toStrictEqual({});
  });

  it('lets ECS\u2019s rollback through without reading anything', async () => {
    // Prepare
    const w = world(healthy);
    // Act
    const { answer } = await invokeHook(
      w,
      hookEvent('hook-production-traffic-shift-rollback-docs'),
      deliveryConfig(config()),
    );
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.serviceDeployments.calls).toStrictEqual([]);
    expect(w.ecsCalls).toStrictEqual([]);
  });

  it('answers IN_PROGRESS, keeping its state, when ECS cannot be read for now', async () => {
    // Prepare
    const w = world(healthy);
    w.serviceDeployments.failWith = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
    });
    const raw = {
      ...hookEvent('hook-post-test-traffic-shift-docs'),
      hookDetails: { harbormaster: { v: 1, f: 0, run: null, ref: 'share:0' } },
    };
    // Act
    const { answer } = await invokeHook(w, raw, deliveryConfig(config()));
    // Assess
    expect(answer).toStrictEqual({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: 30,
      hookDetails: { harbormaster: { v: 1, f: 1, run: null, ref: 'share:0' } },
    });
    expect(w.sns.sent).toStrictEqual([]);
  });

  it('reports a missing permission once and answers IN_PROGRESS instead of failing', async () => {
    // Prepare
    const w = world(healthy);
    w.serviceDeployments.failWith = Object.assign(
      new Error(
        'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: ecs:DescribeServiceDeployments on resource: arn:aws:ecs:us-west-2:123456789012:service-deployment/my-cluster/my-service/EZe5RNVLH6PPzHXINuP28',
      ),
      { name: 'AccessDeniedException' },
    );
    // Act
    const { answer } = await invokeHook(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      deliveryConfig(config()),
    );
    // Assess
    expect(answer).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 30 });
    expect(w.sns.sent[0]?.title).toContain('cannot act: permission ecs:DescribeServiceDeployments');
  });

  it('passes stages without a gate, and a deployment no longer in progress', async () => {
    // Prepare
    const w = world(healthy);
    // Act
    const scaled = await invokeHook(
      w,
      hookEvent('hook-post-scale-up-docs'),
      deliveryConfig(config()),
    );
    w.serviceDeployments.deployments.set(
      DEPLOYMENT_ARN,
      deploymentOf({ status: 'ROLLBACK_IN_PROGRESS' }),
    );
    const rolling = await invokeHook(
      w,
      hookEvent('hook-post-test-traffic-shift-docs'),
      deliveryConfig(config()),
    );
    // Assess
    expect(scaled.answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(rolling.answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(rolling.result.reason).toBe('the deployment is ROLLBACK_IN_PROGRESS: nothing to judge');
    expect(w.metrics.requests).toHaveLength(0);
  });
});
