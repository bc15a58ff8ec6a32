import { type Service, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { eventsOf, fixture, keysOf } from './harness.ts';
import { useServiceSandbox } from './service-sandbox.ts';

describe('ECS deployment circuit breaker', () => {
  const box = useServiceSandbox();

  it('fails an image-pull-failure deployment with the circuit breaker and rolls back to the last COMPLETED one', async () => {
    // Prepare
    const { local, ecs, register, createWeb, describeWeb } = box;
    const v1 = await register('web');
    const v2 = await register('web', 'nginx:does-not-exist');
    local.ecs.setBehavior(v2, { kind: 'image-pull-failure' });
    const created = await createWeb(1);
    await local.clock.advance(120_000);
    const first = created?.deployments?.[0]?.id ?? '';

    // Act
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    const second = updated.service?.deployments?.[0]?.id ?? '';
    await local.clock.advance(30 * 60_000);

    // Assess
    const deployments = eventsOf(local, 'ECS Deployment State Change').map((e) => [
      e.detail.eventName,
      e.detail.deploymentId,
      e.detail.reason,
    ]);
    expect(deployments).toEqual([
      ['SERVICE_DEPLOYMENT_IN_PROGRESS', first, `ECS deployment ${first} in progress.`],
      ['SERVICE_DEPLOYMENT_COMPLETED', first, `ECS deployment ${first} completed.`],
      ['SERVICE_DEPLOYMENT_IN_PROGRESS', second, `ECS deployment ${second} in progress.`],
      [
        'SERVICE_DEPLOYMENT_FAILED',
        second,
        'ECS deployment circuit breaker: tasks failed to start.',
      ],
      [
        'SERVICE_DEPLOYMENT_IN_PROGRESS',
        first,
        `ECS deployment circuit breaker: rolling back to deploymentId ${first}.`,
      ],
      ['SERVICE_DEPLOYMENT_COMPLETED', first, `ECS deployment ${first} completed.`],
    ]);
    const failed = eventsOf(local, 'ECS Deployment State Change')[3];
    expect(failed?.detail.eventType).toBe('ERROR');
    expect(keysOf(failed?.detail)).toEqual(
      keysOf(fixture('deployment-in-progress-TRIMMED-autoptic.json').detail),
    );
    const pullFailures = eventsOf(local, 'ECS Task State Change').filter(
      (e) => e.detail.lastStatus === 'STOPPED' && e.detail.stopCode === 'TaskFailedToStart',
    );
    expect(pullFailures).toHaveLength(3);
    for (const event of pullFailures) {
      expect(String(event.detail.stoppedReason)).toMatch(/^CannotPullContainerError:/);
      expect(event.detail.startedAt).toBeUndefined();
      expect(
        (event.detail.containers as { exitCode?: number }[]).every((c) => c.exitCode === undefined),
      ).toBe(true);
    }
    const service = await describeWeb();
    expect(service.taskDefinition).toBe(v1);
    expect(service.deployments).toEqual([
      expect.objectContaining({
        id: first,
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        taskDefinition: v1,
      }),
    ]);
    expect(service.events?.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        `(service web) (deployment ${second}) deployment failed: tasks failed to start.`,
        `(service web) rolling back to deployment ${first}.`,
      ]),
    );
  });

  it('reports FAILED mid-rollback in DescribeServices, with the breaker threshold and failedTasks', async () => {
    // Prepare
    const { local, ecs, register, createWeb } = box;
    await register('web');
    const v2 = await register('web', 'nginx:broken');
    local.ecs.setBehavior(v2, { kind: 'image-pull-failure' });
    await createWeb(1);
    await local.clock.advance(120_000);
    // DescribeServices at the instant ECS reports its rollback (which completes moments later).
    let service: Service | undefined;
    local.onEvent((e) => {
      if (!String(e.detail.reason).includes('rolling back')) return;
      const out = local.ecs.call('DescribeServices', { cluster: 'prod', services: ['web'] });
      service = (out.services as Service[])[0];
    });

    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    for (let i = 0; i < 600 && !service; i += 1) await local.clock.advance(1_000);
    if (!service) throw new Error('the deployment never failed');

    // Assess
    expect(service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'FAILED'],
    ]);
    expect(service.deployments?.[1]).toMatchObject({
      failedTasks: 3,
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(service.deployments?.[0]?.rolloutStateReason).toMatch(
      /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d{19}\.$/,
    );
  });

  it('counts a failure once the task has stopped: every counted STOPPED event precedes FAILED', async () => {
    // Prepare
    const { local, ecs, register, createWeb } = box;
    await register('web');
    const v2 = await register('web', 'nginx:missing');
    local.ecs.setBehavior(v2, { kind: 'image-pull-failure' });
    await createWeb(1);
    await local.clock.advance(120_000);

    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    await local.clock.advance(30 * 60_000);

    // Assess
    const order = local.events.map((e) =>
      e.detail.eventName === 'SERVICE_DEPLOYMENT_FAILED'
        ? 'FAILED'
        : e.detail.stopCode === 'TaskFailedToStart'
          ? `TASK:${String(e.detail.lastStatus)}`
          : undefined,
    );
    const failedAt = order.indexOf('FAILED');
    const stopped = order.flatMap((o, i) => (o === 'TASK:STOPPED' ? [i] : []));
    expect(stopped).toHaveLength(3);
    expect(Math.max(...stopped)).toBeLessThan(failedAt);
  });

  it('never trips the breaker when tasks reach RUNNING and then crash', async () => {
    // Prepare
    const { local, ecs, register, createWeb, describeWeb } = box;
    await register('web');
    const v2 = await register('web', 'nginx:crashy');
    local.ecs.setBehavior(v2, { kind: 'crash', afterMs: 5_000, exitCode: 1 });
    await createWeb(1);
    await local.clock.advance(120_000);

    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    await local.clock.advance(60 * 60_000);

    // Assess
    const names = eventsOf(local, 'ECS Deployment State Change').map((e) => e.detail.eventName);
    expect(names).not.toContain('SERVICE_DEPLOYMENT_FAILED');
    const crashes = eventsOf(local, 'ECS Task State Change').filter(
      (e) => e.detail.lastStatus === 'STOPPED' && e.detail.stopCode === 'EssentialContainerExited',
    );
    expect(crashes.length).toBeGreaterThan(10);
    expect(crashes[0]?.detail.stoppedReason).toBe('Essential container in task exited');
    const service = await describeWeb();
    expect(service.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      failedTasks: 0,
    });
    expect(eventsOf(local, 'ECS Service Action').map((e) => e.detail.eventName)).not.toContain(
      'SERVICE_TASK_START_IMPAIRED',
    );
  });

  it('counts health-check replacements (stage 2) and stops unhealthy tasks with exit 143', async () => {
    // Prepare
    const { local, ecs, register, createWeb } = box;
    const v1 = await register('web');
    const v2 = await register('web', 'nginx:unhealthy');
    local.ecs.setBehavior(v2, { kind: 'health-check-failure', afterMs: 30_000, check: 'elb' });
    await createWeb(2);
    await local.clock.advance(120_000);

    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    await local.clock.advance(20 * 60_000);

    // Assess
    const names = eventsOf(local, 'ECS Deployment State Change').map((e) => e.detail.eventName);
    expect(names.slice(2)).toEqual([
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_FAILED',
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
    ]);
    const killed = eventsOf(local, 'ECS Task State Change').filter(
      (e) =>
        e.detail.lastStatus === 'STOPPED' &&
        String(e.detail.stoppedReason).startsWith(
          'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:',
        ),
    );
    expect(killed.length).toBeGreaterThanOrEqual(3);
    expect(killed[0]?.detail).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      containers: [expect.objectContaining({ exitCode: 143 })],
    });
    // The old revision keeps serving: none of its tasks is ever scaled in.
    const oldStopped = eventsOf(local, 'ECS Task State Change').filter(
      (e) =>
        e.detail.taskDefinitionArn === v1 &&
        String(e.detail.stoppedReason).startsWith('Scaling activity'),
    );
    expect(oldStopped).toHaveLength(0);
  });

  it('stalls a failed deployment when there is nothing to roll back to', async () => {
    // Prepare
    const { local, register, createWeb, describeWeb } = box;
    const v1 = await register('web', 'nginx:missing');
    local.ecs.setBehavior(v1, { kind: 'image-pull-failure' });

    // Act
    await createWeb(1);
    await local.clock.advance(60 * 60_000);

    // Assess
    const names = eventsOf(local, 'ECS Deployment State Change').map((e) => e.detail.eventName);
    expect(names).toEqual(['SERVICE_DEPLOYMENT_IN_PROGRESS', 'SERVICE_DEPLOYMENT_FAILED']);
    expect(local.ecs.tasks({ desiredStatus: 'RUNNING' })).toHaveLength(0);
    const service = await describeWeb();
    expect(service.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      failedTasks: 3,
    });
  });

  it('recovers a crash-looping deployment when UpdateService goes back to the previous revision', async () => {
    // Prepare
    const { local, ecs, register, createWeb, describeWeb } = box;
    const v1 = await register('web');
    const v2 = await register('web', 'nginx:crashy');
    local.ecs.setBehavior(v2, { kind: 'crash', afterMs: 5_000 });
    await createWeb(2);
    await local.clock.advance(120_000);
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    await local.clock.advance(10 * 60_000);

    // Act
    const rollback = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v1 }),
    );
    await local.clock.advance(5 * 60_000);

    // Assess
    const service = await describeWeb();
    const id = rollback.service?.deployments?.[0]?.id;
    expect(service.deployments).toEqual([
      expect.objectContaining({ id, taskDefinition: v1, rolloutState: 'COMPLETED' }),
    ]);
    expect(service).toMatchObject({ runningCount: 2, taskDefinition: v1 });
    expect(local.ecs.tasks({ desiredStatus: 'RUNNING' }).map((t) => t.taskDefinitionArn)).toEqual([
      v1,
      v1,
    ]);
    const completed = eventsOf(local, 'ECS Deployment State Change').at(-1);
    expect(completed?.detail).toMatchObject({
      eventName: 'SERVICE_DEPLOYMENT_COMPLETED',
      deploymentId: id,
    });
  });
});
