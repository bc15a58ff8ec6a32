import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '#config/schema.ts';
import { deploymentHooks } from '#functions/deployment-hooks/definition.ts';
import { createLambdaHandler } from '#kernel/lambda.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import {
  atShare,
  DEPLOYMENT_ARN,
  deliveryConfig,
  deliveryFixture,
  hookEvent,
  hookWorld,
  type Json,
} from '#support/delivery.ts';

const NOW = new Date('2026-11-21T09:00:20Z');

const context = (remainingMs: number): Context =>
  ({
    functionName: 'harbormaster-test-deployment-hooks',
    awsRequestId: 'r-1',
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

/** The Lambda handler of the hook function, as its entry point builds it, over fakes. */
const handlerOf = (w: ReturnType<typeof hookWorld>, input: ConfigInput = {}) =>
  createLambdaHandler(
    deploymentHooks,
    createRuntime({
      functionName: 'harbormaster-test-deployment-hooks',
      config: deliveryConfig(input) as never,
      env: {},
      telemetry: silentTelemetry,
      now: w.now,
    }),
    w.ports,
  );

const failing = { requests: 300, errors: 30 };
const quickFail = {
  delivery: {
    analysisGate: {
      dataDelaySeconds: 0,
      analyses: [{ name: 'e', metric: 'http-5xx-rate', count: 1 }],
    },
  },
} as ConfigInput;

/** A canary step judged two minutes after the previous step was let through, green failing. */
const canaryStepAfter = async (passedAt: Date) => {
  const w = hookWorld({
    now: new Date(passedAt.getTime() + 120_000),
    traffic: (side) => (side === 'blue' ? { requests: 6000, errors: 0 } : failing),
  });
  await w.deliveryStore.saveProgress({
    cluster: 'my-cluster',
    service: 'my-service',
    deploymentArn: DEPLOYMENT_ARN,
    passed: [
      {
        key: 'share:0',
        share: 0,
        stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
        at: passedAt.toISOString(),
      },
    ],
    verdicts: [],
    runs: {},
    updatedAt: passedAt.toISOString(),
  });
  return w;
};

describe('The hook function\u2019s answer to ECS', () => {
  it('returns the decision\u2019s hookStatus as the Lambda\u2019s result', async () => {
    // Prepare
    const w = await canaryStepAfter(NOW);
    // Act
    const answer = await handlerOf(w, quickFail)(
      atShare('hook-pre-production-traffic-shift-docs', 5),
      context(30_000),
    );
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'FAILED' });
  });

  it('answers IN_PROGRESS instead of throwing when an effect fails in a way a retry may fix', async () => {
    // Prepare
    const w = hookWorld({ now: NOW });
    w.sns.failWith = Object.assign(new Error('Service unavailable'), {
      name: 'InternalErrorException',
    });
    const raw = hookEvent('hook-post-test-traffic-shift-docs');
    w.serviceDeployments.deployments.forEach((d) => {
      d.source = [];
    });
    // Act
    const answer = (await handlerOf(w)(
      {
        ...raw,
        executionDetails: { ...(raw.executionDetails as Json), productionTrafficWeights: {} },
      },
      context(30_000),
    )) as unknown as Json;
    // Assess
    expect(answer).toStrictEqual({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: 30,
      hookDetails: { harbormaster: { v: 1, f: 1 } },
    });
  });

  it('gives its verdict on the next call when the verdict\u2019s alert could not be sent, alerting once', async () => {
    // Prepare: green fails the canary step; SNS fails the first time.
    const w = await canaryStepAfter(NOW);
    w.sns.failWith = Object.assign(new Error('Service unavailable'), {
      name: 'InternalErrorException',
    });
    const raw = atShare('hook-pre-production-traffic-shift-docs', 5);
    const handler = handlerOf(w, quickFail);
    // Act: ECS calls again, with the same executionId, after callBackDelay.
    const first = (await handler(raw, context(30_000))) as unknown as Json;
    w.sns.failWith = undefined;
    w.setNow(new Date(w.now().getTime() + (first.callBackDelay as number) * 1000));
    const second = await handler({ ...raw, hookDetails: first.hookDetails }, {
      ...context(30_000),
      awsRequestId: 'r-2',
    } as Context);
    // Assess
    expect(first).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 30 });
    expect(second).toStrictEqual({ hookStatus: 'FAILED' });
    expect(w.sns.sent.map((a) => a.title)).toStrictEqual([
      'my-cluster/my-service analysis gate failed: ECS rolls back (PRE_PRODUCTION_TRAFFIC_SHIFT at 5% of production)',
    ]);
  });

  it('answers IN_PROGRESS before its time runs out when a call hangs', async () => {
    // Prepare
    const w = hookWorld({ now: NOW });
    w.ports.serviceDeployments.describe = () => new Promise(() => undefined);
    // Act: 5.2 s left, 5 s of which are kept to answer.
    const started = performance.now();
    const answer = await handlerOf(w)(
      hookEvent('hook-post-test-traffic-shift-docs'),
      context(5_200),
    );
    // Assess
    expect(answer).toMatchObject({
      hookStatus: 'IN_PROGRESS',
      hookDetails: { harbormaster: { f: 1 } },
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('in dry-run logs its verdict and lets the deployment go on', async () => {
    // Prepare
    const w = await canaryStepAfter(NOW);
    // Act
    const answer = await handlerOf(w, { ...quickFail, dryRun: true })(
      atShare('hook-pre-production-traffic-shift-docs', 5),
      context(30_000),
    );
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
    expect(w.sns.sent).toStrictEqual([]);
  });

  it('lets a payload it cannot read through, rather than roll back on its own misunderstanding', async () => {
    // Prepare
    const w = hookWorld({ now: NOW });
    // Act
    const answer = await handlerOf(w)(
      hookEvent('hook-pre-scale-up-docs', { lifecycleStage: 'SCALE_DOWN' }),
      context(30_000),
    );
    // Assess
    expect(answer).toStrictEqual({ hookStatus: 'SUCCEEDED' });
  });

  it('keeps the usual semantics for EventBridge events: a transient failure is thrown so that Lambda retries', async () => {
    // Prepare
    const w = hookWorld({ now: NOW });
    w.sns.failWith = Object.assign(new Error('Service unavailable'), {
      name: 'InternalErrorException',
    });
    // Act
    const run = handlerOf(w)(
      deliveryFixture('hook-state-change-awaiting-action-docs'),
      context(30_000),
    );
    // Assess
    await expect(run).rejects.toThrow('Service unavailable');
  });
});
