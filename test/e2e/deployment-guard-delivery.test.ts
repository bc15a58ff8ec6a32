import type { EventBridgeEnvelope } from '@harbormaster/local-aws';
import { afterEach, describe, expect, it } from 'vitest';
import { type GuardStack, startGuardStack } from '#support/guard-stack.ts';

let guard: GuardStack | undefined;
afterEach(async () => {
  await guard?.stack.close();
  guard = undefined;
});

const start = async (options: Parameters<typeof startGuardStack>[0] = {}) => {
  guard = await startGuardStack(options);
  return guard;
};

const crashedStops = (g: GuardStack): EventBridgeEnvelope[] =>
  g.local.events.filter(
    (e) =>
      e['detail-type'] === 'ECS Task State Change' &&
      e.detail.lastStatus === 'STOPPED' &&
      e.detail.stopCode === 'EssentialContainerExited',
  );

describe('Deployment guard: at-least-once, out-of-order and concurrent delivery', () => {
  it.each([1, 2, 3])(
    'rolls back once and alerts each step once when EventBridge duplicates and reorders events (seed %i)',
    async (seed) => {
      // Prepare
      const g = await start({ delivery: { duplicateRate: 0.5, reorderRate: 0.3, seed } });
      // Act
      g.deploy({ kind: 'crash', afterMs: 5_000, exitCode: 2 });
      await g.elapse(20);
      // Assess
      expect(g.guardUpdates()).toHaveLength(1);
      const subjects = g.deploymentAlerts().map((a) => a.subject);
      const occurrences = g.deploymentAlerts().map((a) => `${a.threadId} ${a.subject}`);
      expect(new Set(occurrences).size).toBe(occurrences.length);
      expect(subjects.filter((s) => s.includes('rolled back'))).toHaveLength(1);
      expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
    },
  );

  it('rolls back once, with one alert, when 50 concurrent invocations see the same failure', async () => {
    // Prepare: the guard only counts at first (tag), while three tasks crash
    const g = await start({ tags: { 'harbormaster:guard:failed-tasks': 'off' } });
    g.deploy({ kind: 'crash', afterMs: 5_000 });
    await g.elapse(3);
    const third = crashedStops(g)[2];
    g.local.ecs.call('TagResource', {
      resourceArn: g.local.ecs.service('prod', 'web')?.arn,
      tags: [{ key: 'harbormaster:guard:failed-tasks', value: 'rollback 3' }],
    });
    // UpdateService answers slowly, so that every invocation has decided before the first acts.
    g.local.faults.inject({ service: 'ecs', operation: 'UpdateService', latencyMs: 300, times: 1 });
    const before = g.stack.lambda.invocations.length;
    // Act: fifty deliveries of the same event at once
    for (let i = 0; i < 50; i += 1) g.stack.publish(third);
    await g.stack.settle();
    // Assess
    expect(g.guardUpdates()).toHaveLength(1);
    const copies = g.stack.lambda.invocations
      .slice(before)
      .filter((i) => i.function === 'deployment-guard');
    const results = copies.flatMap(
      (i) => i.result?.actions.filter((a) => a.type === 'rollback') ?? [],
    );
    expect(results.map((r) => r.status)).toStrictEqual(['done']);
    // Every copy ended cleanly: the others found the plan in hand or done, or (arriving after
    // the rollback) the deployment superseded.
    const ofThird = copies.filter((i) => (i.event as { id?: string }).id === third?.id);
    expect(ofThird).toHaveLength(50);
    expect(ofThird.filter((i) => i.error !== undefined)).toStrictEqual([]);
    expect(g.deploymentAlerts().filter((a) => a.subject.includes('rolled back'))).toHaveLength(1);
  });

  it('ignores a late duplicate of a failure after the rollback', async () => {
    // Prepare
    const g = await start();
    g.deploy({ kind: 'crash', afterMs: 5_000 });
    await g.elapse(20);
    const first = crashedStops(g)[0];
    // Act
    g.stack.publish(first);
    await g.stack.settle();
    // Assess
    expect(g.guardUpdates()).toHaveLength(1);
    expect(g.stack.lambda.invocations.at(-1)?.result).toMatchObject({ outcome: 'ignored' });
  });
});

describe('Deployment guard: errors', () => {
  it('retries a throttled ECS API through the SDK and still rolls back', async () => {
    // Prepare
    const g = await start();
    g.local.faults.inject({
      service: 'ecs',
      operation: 'ListTasks',
      error: 'ThrottlingException',
      times: 3,
    });
    g.local.faults.inject({
      service: 'ecs',
      operation: 'UpdateService',
      error: 'ThrottlingException',
      times: 1,
    });
    // Act
    g.deploy({ kind: 'crash', afterMs: 5_000 });
    await g.elapse(20);
    // Assess
    const throttled = g.local.calls
      .list('ecs', undefined, 'deployment-guard')
      .filter((c) => c.errorCode === 'ThrottlingException');
    expect(throttled.map((c) => c.operation)).toStrictEqual([
      'ListTasks',
      'ListTasks',
      'ListTasks',
      'UpdateService',
    ]);
    expect(g.guardUpdates().filter((c) => c.status === 200)).toHaveLength(1);
    expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
  });

  it('dead-letters an invocation ECS keeps failing, alerts that the service was left unguarded, and rolls back on a later event', async () => {
    // Prepare: two attempts per call, so the test is quick
    const g = await start({ config: { aws: { maxAttempts: 2 } } });
    const outage = g.local.faults.inject({
      service: 'ecs',
      operation: 'UpdateService',
      error: 'ServerException',
    });
    // Act
    g.deploy({ kind: 'crash', afterMs: 5_000 });
    // Longer than Lambda's retries of one invocation (1 and then 2 minutes later).
    await g.elapse(6);
    outage.remove();
    await g.elapse(10);
    // Assess
    const deadLetter = g.alerts().find((a) => a.kind === 'dead-letter');
    expect(deadLetter?.subject).toBe(
      '[ERROR] Harbormaster harbormaster-local-deployment-guard failed after 3 attempts',
    );
    expect(deadLetter?.email).toContain(
      'The deployment guard did not act on this event: prod/web was left unguarded for it.',
    );
    expect(g.local.sqs.messages('harbormaster-local-dead-letters').length).toBeGreaterThanOrEqual(
      1,
    );
    // The record of the rollback begun was decided again on a later event, under its lease.
    expect(g.guardUpdates().filter((c) => c.status === 200)).toHaveLength(1);
    expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
  });

  it('reports a missing permission once, naming it, and drops the events', async () => {
    // Prepare
    const g = await start();
    g.local.faults.inject({
      service: 'ecs',
      operation: 'UpdateService',
      error: {
        type: 'AccessDeniedException',
        status: 400,
        message:
          'User: arn:aws:sts::123456789012:assumed-role/DeploymentGuardRole/harbormaster-local-deployment-guard is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:UpdateService action',
      },
    });
    // Act
    g.deploy({ kind: 'crash', afterMs: 5_000 });
    await g.elapse(10);
    // Assess
    const denied = g.alerts().filter((a) => a.kind === 'handler-error');
    expect(denied).toHaveLength(1);
    expect(denied[0]?.email).toContain(
      'Harbormaster harbormaster-local-deployment-guard cannot act: permission ecs:UpdateService on arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    );
    expect(denied[0]?.email).toContain('Grant or create permission ecs:UpdateService');
    expect(g.guardUpdates().length).toBeGreaterThan(1);
    expect(
      g.stack.lambda.invocations.filter((i) => i.function === 'deployment-guard' && i.error),
    ).toHaveLength(0);
  });

  it('reports a service ECS says is missing once, naming it', async () => {
    // Prepare
    const g = await start();
    const event = g.local.events.find((e) => e['detail-type'] === 'ECS Deployment State Change');
    const gone = {
      ...event,
      resources: [`arn:aws:ecs:${g.local.region}:${g.local.accountId}:service/prod/gone`],
    };
    // Act
    g.stack.publish(gone);
    g.stack.publish({ ...gone, id: 'another-delivery' });
    await g.stack.settle();
    // Assess
    expect(
      g
        .alerts()
        .filter((a) => a.kind === 'handler-error')
        .map((a) => a.subject),
    ).toStrictEqual([
      '[ERROR] Harbormaster harbormaster-local-deployment-guard cannot act: the ECS service',
    ]);
  });
});
