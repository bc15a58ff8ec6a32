import {
  ClientException,
  ConflictException,
  DescribeTasksCommand,
  type ECSClient,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import {
  ecsClient,
  eventsOf,
  fargateTaskDefinition,
  fixture,
  keysOf,
  runReport,
  START,
} from './harness.ts';

describe('ECS RunTask', () => {
  let local: LocalAws;
  let ecs: ECSClient;
  let batchArn: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ecs = ecsClient(local);
    local.ecs.createCluster('batch');
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('report', 'reporter:2.1', true)),
    );
    batchArn = out.taskDefinition?.taskDefinitionArn ?? '';
  });

  afterEach(async () => {
    ecs.destroy();
    await local.close();
  });

  const run = (extra: Record<string, unknown> = {}) => runReport(ecs, extra);

  it('runs a batch whose shards exit, one of them failing, with the real task event shapes', async () => {
    // Prepare
    local.ecs.setBehavior('report', (_task, index) => ({
      kind: 'exit',
      afterMs: 60_000,
      exitCodes: { app: index === 2 ? 3 : 0 },
    }));

    // Act
    const out = await run({ count: 4, startedBy: 'chronos-schedule/nightly-report' });
    await local.clock.advance(5 * 60_000);

    // Assess
    expect(out.failures).toEqual([]);
    expect(out.tasks?.map((t) => t.lastStatus)).toEqual([
      'PROVISIONING',
      'PROVISIONING',
      'PROVISIONING',
      'PROVISIONING',
    ]);
    const stopped = eventsOf(local, 'ECS Task State Change').filter(
      (e) => e.detail.lastStatus === 'STOPPED',
    );
    expect(stopped).toHaveLength(4);
    const exitCodes = stopped.map((e) =>
      (e.detail.containers as { name: string; exitCode: number }[]).map((c) => [
        c.name,
        c.exitCode,
      ]),
    );
    expect(exitCodes.filter((codes) => codes[0]?.[1] === 3)).toHaveLength(1);
    for (const event of stopped) {
      expect(event.detail).toMatchObject({
        group: 'family:report',
        startedBy: 'chronos-schedule/nightly-report',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        desiredStatus: 'STOPPED',
        version: 6,
      });
      // The non-essential sidecar ran until the task stopped, then got SIGTERM.
      expect((event.detail.containers as { name: string; exitCode: number }[])[1]).toMatchObject({
        name: 'otel',
        exitCode: 143,
      });
      expect(keysOf(event.detail)).toEqual(
        keysOf(fixture('task-stopped-fargate-service-scalein-exit137-arkime.json').detail)
          .filter((k) => k !== 'startedBy')
          .concat('startedBy')
          .sort(),
      );
    }
    const versions = eventsOf(local, 'ECS Task State Change')
      .filter((e) => e.resources[0] === out.tasks?.[0]?.taskArn)
      .map((e) => [e.detail.version, e.detail.lastStatus, e.detail.desiredStatus]);
    expect(versions).toEqual([
      [1, 'PROVISIONING', 'RUNNING'],
      [2, 'PENDING', 'RUNNING'],
      [3, 'RUNNING', 'RUNNING'],
      [4, 'RUNNING', 'STOPPED'],
      [5, 'DEPROVISIONING', 'STOPPED'],
      [6, 'STOPPED', 'STOPPED'],
    ]);
    const running = eventsOf(local, 'ECS Task State Change').find(
      (e) => e.detail.lastStatus === 'RUNNING',
    );
    const sample = fixture('task-running-fargate-docs-2025.json');
    expect(keysOf(running?.detail)).toEqual(
      keysOf(sample.detail)
        .filter((k) => k !== 'capacityProviderName')
        .concat('startedBy')
        .sort(),
    );
    // Container `memory` appears only when the container definition sets it (ours does not).
    const containersOf = (detail: Record<string, unknown> | undefined): unknown[] =>
      Array.isArray(detail?.containers) ? detail.containers : [];
    const sampleContainer = keysOf(containersOf(sample.detail)[0]).filter((k) => k !== 'memory');
    expect(keysOf(containersOf(running?.detail)[0])).toEqual(sampleContainer);
  });

  it('interrupts Fargate Spot tasks with the SpotInterruption stop code', async () => {
    // Prepare
    local.ecs.setBehavior('report', { kind: 'spot-interruption', afterMs: 60_000 });

    // Act
    await run({
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    await local.clock.advance(180_000);

    // Assess
    const events = eventsOf(local, 'ECS Task State Change');
    const notice = events.find((e) => e.detail.desiredStatus === 'STOPPED');
    expect(notice?.detail).toMatchObject({
      lastStatus: 'RUNNING',
      stopCode: 'SpotInterruption',
      stoppedReason: 'Your Spot Task was interrupted.',
      capacityProviderName: 'FARGATE_SPOT',
      launchType: 'FARGATE',
    });
    expect(
      keysOf(fixture('task-spot-interruption-SNIPPET-docs.json').detail).every(
        (k) => k in (notice?.detail ?? {}),
      ),
    ).toBe(true);
    expect(events.at(-1)?.detail).toMatchObject({
      lastStatus: 'STOPPED',
      containers: [expect.objectContaining({ exitCode: 143 }), expect.anything()],
    });
  });

  it('reports an OOM kill on the essential container', async () => {
    // Prepare
    local.ecs.setBehavior(batchArn, { kind: 'oom', afterMs: 10_000 });

    // Act
    const out = await run();
    await local.clock.advance(120_000);
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'batch', tasks: [out.tasks?.[0]?.taskArn ?? ''] }),
    );

    // Assess
    const task = described.tasks?.[0];
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(task?.containers?.[0]).toMatchObject({
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
    expect(task?.createdAt).toEqual(START);
    expect(task?.stoppedAt?.getTime()).toBe(START.getTime() + 20_000 + 10_000 + 30_000);
  });

  it('honours clientToken: same parameters return the same tasks, different ones conflict', async () => {
    // Prepare
    const first = await run({ count: 2, clientToken: 'nightly-2026-11-02' });

    // Act
    const again = await run({ count: 2, clientToken: 'nightly-2026-11-02' });
    const conflict = await run({ count: 3, clientToken: 'nightly-2026-11-02' }).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(again.tasks?.map((t) => t.taskArn)).toEqual(first.tasks?.map((t) => t.taskArn));
    expect(local.ecs.tasks()).toHaveLength(2);
    expect(conflict).toBeInstanceOf(ConflictException);
    expect((conflict as ConflictException).resourceIds).toEqual(first.tasks?.map((t) => t.taskArn));
  });

  it('returns partial success with failures[] when capacity runs out', async () => {
    // Prepare
    local.ecs.setCapacity('batch', { maxRunningTasks: 3, reason: 'RESOURCE:FARGATE' });

    // Act
    const out = await run({ count: 5 });

    // Assess
    expect(out.tasks).toHaveLength(3);
    expect(out.failures).toEqual([
      expect.objectContaining({
        arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch',
        reason: 'RESOURCE:FARGATE',
      }),
      expect.objectContaining({ reason: 'RESOURCE:FARGATE' }),
    ]);
  });

  it('validates RunTask parameters like the real API', async () => {
    // Prepare
    const bigOverrides = { containerOverrides: [{ name: 'app', command: ['x'.repeat(9000)] }] };

    // Act
    const results = await Promise.all([
      run({ count: 11 }).catch((e: unknown) => e),
      run({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }).catch(
        (e: unknown) => e,
      ),
      run({ networkConfiguration: undefined }).catch((e: unknown) => e),
      run({ overrides: bigOverrides }).catch((e: unknown) => e),
      run({ taskDefinition: 'nope:9' }).catch((e: unknown) => e),
      run({ tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }).catch(
        (e: unknown) => e,
      ),
    ]);

    // Assess
    const [count, exclusive, noNetwork, overrides, missingTd, tags] = results;
    expect(count).toBeInstanceOf(InvalidParameterException);
    expect(exclusive).toBeInstanceOf(InvalidParameterException);
    expect(noNetwork).toBeInstanceOf(InvalidParameterException);
    expect((noNetwork as Error).message).toBe(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    expect(overrides).toBeInstanceOf(InvalidParameterException);
    expect(missingTd).toBeInstanceOf(ClientException);
    expect(tags).toBeInstanceOf(InvalidParameterException);
  });
});
