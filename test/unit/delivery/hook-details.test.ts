import { describe, expect, it } from 'vitest';
import {
  fallbackHookDetails,
  HOOK_DETAILS_BUDGET,
  readHookDetails,
  writeHookDetails,
} from '#delivery/hook/details.ts';
import { invocationOf } from '#delivery/hook/invocation.ts';
import type { GateRun } from '#delivery/hook/run-state.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import { BLUE, GREEN, hookEvent } from '#support/delivery.ts';

const run = (measurements: number): GateRun => ({
  key: 'share:5',
  stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  share: 5,
  startedAt: '2026-11-21T09:00:00.000Z',
  analyses: [
    {
      name: 'error-rate',
      consecutiveErrors: 0,
      status: 'running',
      measurements: Array.from({ length: measurements }, (_, i) => ({
        at: new Date(Date.parse('2026-11-21T09:00:00Z') + i * 60_000).toISOString(),
        phase: i % 2 ? ('inconclusive' as const) : ('successful' as const),
        value: 0.4123456789,
        baseline: 0.3,
        requests: 120,
        baselineRequests: 2300,
        note: i % 2 ? '12 requests, fewer than the 50 a measurement needs' : undefined,
      })),
    },
  ],
});

const invocation = (raw: Record<string, unknown>) =>
  invocationOf(parseEventOf(raw, ['lifecycle-hook']));

describe('Lifecycle hook invocations', () => {
  it('recognises the rollback re-invocation of PRODUCTION_TRAFFIC_SHIFT (green 0, blue 100)', () => {
    // Assess
    expect(invocation(hookEvent('hook-production-traffic-shift-rollback-docs')).rollingBack).toBe(
      true,
    );
    expect(invocation(hookEvent('hook-production-traffic-shift-docs')).rollingBack).toBe(false);
  });

  it('does not take PRE_PRODUCTION_TRAFFIC_SHIFT before the first step (green 0) for a rollback', () => {
    // Act
    const inv = invocation(hookEvent('hook-pre-production-traffic-shift-docs'));
    // Assess
    expect(inv).toMatchObject({
      rollingBack: false,
      productionShare: 0,
      blueArns: [BLUE],
      greenArn: GREEN,
    });
  });

  it('recognises a TEST_TRAFFIC_SHIFT that moves test traffic back to blue', () => {
    // Prepare
    const raw = hookEvent('hook-test-traffic-shift-docs');
    const details = raw.executionDetails as Record<string, unknown>;
    // Act
    const back = invocation({
      ...raw,
      executionDetails: { ...details, testTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } },
    });
    // Assess
    expect(back.rollingBack).toBe(true);
  });

  it('reads the deployment, cluster and service from the ARNs of a real payload', () => {
    // Act
    const inv = invocation(hookEvent('hook-post-test-traffic-shift-aws-news-blog-2025'));
    // Assess
    expect(inv).toMatchObject({
      cluster: 'EcsBlueGreenCluster',
      service: 'nginxBGservice',
      deploymentId: 'TFX5sH9q9XDboDTOv0rIt',
      account: '123',
      region: 'us-west-2',
    });
  });
});

describe('Harbormaster\u2019s state in hookDetails', () => {
  it('carries a run in hookDetails and reads it back, leaving the service\u2019s own details alone', () => {
    // Prepare
    const { hookDetails, spills } = writeHookDetails(run(3));
    // Act
    const read = readHookDetails({ S3_BUCKET_NAME: 'my-approval-bucket', ...hookDetails });
    // Assess
    expect(spills).toBe(false);
    expect(Object.keys(hookDetails)).toStrictEqual(['harbormaster']);
    expect(read.run?.analyses[0]?.measurements[1]).toMatchObject({
      phase: 'inconclusive',
      value: 0.412346,
      requests: 120,
    });
    expect(read.run?.analyses[0]?.measurements).toHaveLength(3);
  });

  it('keeps a run too large for hookDetails in the table and passes a reference', () => {
    // Act
    const { hookDetails, spills } = writeHookDetails(run(100));
    // Assess
    expect(spills).toBe(true);
    expect(JSON.stringify(hookDetails).length).toBeLessThan(HOOK_DETAILS_BUDGET);
    expect(readHookDetails(hookDetails)).toMatchObject({ run: undefined, storedRun: 'share:5' });
  });

  it('counts answers given without a decision, keeping the run', () => {
    // Act
    const twice = fallbackHookDetails(fallbackHookDetails(writeHookDetails(run(1)).hookDetails));
    // Assess
    expect(readHookDetails(twice)).toMatchObject({ fallbacks: 2, run: { key: 'share:5' } });
  });

  it.each([
    [{ harbormaster: 'yes' }, 'is not Harbormaster\u2019s state'.replace('\u2019', "'")],
    [
      { harbormaster: { v: 1, run: { k: 'share:5', s: 'not a time', a: [] } } },
      'could not be read',
    ],
  ])('names hookDetails it cannot read and ignores them: %j', (details, problem) => {
    // Act
    const read = readHookDetails(details);
    // Assess
    expect(read.run).toBeUndefined();
    expect(read.problem).toContain(problem);
  });
});
