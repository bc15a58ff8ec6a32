import {
  CreateClusterCommand,
  CreateServiceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { eventsOf, fixture, keysOf, network, START, timeline } from './harness.ts';
import { useServiceSandbox } from './service-sandbox.ts';

describe('ECS service scheduler: rolling updates', () => {
  const box = useServiceSandbox();

  it('rolls out a new service to COMPLETED with the real event sequence and shapes', async () => {
    // Prepare
    const { local, register, createWeb, describeWeb } = box;
    await register('web');

    // Act
    const created = await createWeb(2);
    await local.clock.advance(120_000);

    // Assess
    const deploymentId = created?.deployments?.[0]?.id ?? '';
    expect(deploymentId).toMatch(/^ecs-svc\/\d{19}$/);
    expect(timeline(local)).toEqual([
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'TASK:PROVISIONING',
      'TASK:PROVISIONING',
      'TASK:PENDING',
      'TASK:PENDING',
      'TASK:RUNNING',
      'TASK:RUNNING',
      'SERVICE_DEPLOYMENT_COMPLETED',
      'SERVICE_STEADY_STATE',
    ]);
    const [inProgress, completed] = eventsOf(local, 'ECS Deployment State Change');
    expect(keysOf(inProgress)).toEqual(keysOf(fixture('deployment-in-progress-docs.json')));
    expect(keysOf(inProgress?.detail)).toEqual(
      keysOf(fixture('deployment-in-progress-TRIMMED-autoptic.json').detail),
    );
    expect(inProgress?.detail).toMatchObject({
      eventType: 'INFO',
      deploymentId,
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      reason: `ECS deployment ${deploymentId} in progress.`,
    });
    expect(inProgress?.resources).toEqual(['arn:aws:ecs:us-east-1:123456789012:service/prod/web']);
    expect(completed?.detail.reason).toBe(`ECS deployment ${deploymentId} completed.`);
    const steady = eventsOf(local, 'ECS Service Action')[0];
    expect(keysOf(steady?.detail)).toEqual(
      keysOf(fixture('service-action-steady-state-docs.json').detail),
    );
    const running = eventsOf(local, 'ECS Task State Change').filter(
      (e) => e.detail.lastStatus === 'RUNNING',
    );
    const sample = fixture('task-running-fargate-service-arkime.json');
    for (const event of running) {
      expect(keysOf(event)).toEqual(keysOf(sample));
      expect(keysOf(event.detail)).toEqual(keysOf(sample.detail));
      expect(event.detail).toMatchObject({
        group: 'service:web',
        startedBy: deploymentId,
        version: 3,
      });
      expect(String(event.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(String(event.detail.startedAt)).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/,
      );
      expect(String(event.resources[0])).toMatch(
        /^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/,
      );
    }
    const service = await describeWeb();
    expect(service).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
    });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 2,
      failedTasks: 0,
    });
    expect(service.events?.[0]?.message).toBe('(service web) has reached a steady state.');
    expect(service.events?.[1]?.message).toBe(
      `(service web) (deployment ${deploymentId}) deployment completed.`,
    );
    expect(service.createdAt).toEqual(START);
  });

  it('replaces old tasks with ServiceSchedulerInitiated scale-in stops (exit 137) on a new task definition', async () => {
    // Prepare
    const { local, ecs, register, createWeb, describeWeb } = box;
    await register('web');
    const v2 = await register('web', 'nginx:1.28');
    const created = await createWeb(2);
    await local.clock.advance(120_000);
    const first = created?.deployments?.[0]?.id ?? '';

    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: v2 }),
    );
    await local.clock.advance(180_000);

    // Assess
    const scaledIn = eventsOf(local, 'ECS Task State Change').filter(
      (e) => e.detail.lastStatus === 'STOPPED',
    );
    expect(scaledIn).toHaveLength(2);
    const sample = fixture('task-stopped-fargate-service-scalein-exit137-arkime.json');
    for (const event of scaledIn) {
      expect(keysOf(event.detail)).toEqual(keysOf(sample.detail));
      expect(event.detail).toMatchObject({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: `Scaling activity initiated by (deployment ${first})`,
        startedBy: first,
        version: 6,
        containers: [expect.objectContaining({ exitCode: 137, lastStatus: 'STOPPED' })],
      });
    }
    const service = await describeWeb();
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({
      taskDefinition: v2,
      rolloutState: 'COMPLETED',
    });
  });

  it('starts a deployment only for a changed task definition or forceNewDeployment', async () => {
    // Prepare
    const { local, ecs, register, createWeb, describeWeb } = box;
    const v1 = await register('web');
    await createWeb(1);
    await local.clock.advance(120_000);
    const before = eventsOf(local, 'ECS Deployment State Change').length;

    // Act
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: v1,
        desiredCount: 2,
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        deploymentConfiguration: { maximumPercent: 150 },
      }),
    );
    await local.clock.advance(120_000);
    const afterNoop = eventsOf(local, 'ECS Deployment State Change').length;
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }),
    );
    await local.clock.advance(180_000);

    // Assess
    expect(afterNoop).toBe(before);
    expect(
      eventsOf(local, 'ECS Deployment State Change')
        .slice(before)
        .map((e) => e.detail.eventName),
    ).toEqual(['SERVICE_DEPLOYMENT_IN_PROGRESS', 'SERVICE_DEPLOYMENT_COMPLETED']);
    const service = await describeWeb();
    expect(service).toMatchObject({ desiredCount: 2, runningCount: 2 });
    expect(service.deploymentConfiguration?.maximumPercent).toBe(150);
  });

  it('reports placement failures and start impairment as service actions', async () => {
    // Prepare
    const { local, ecs, register } = box;
    await ecs.send(new CreateClusterCommand({ clusterName: 'tight' }));
    local.ecs.setCapacity('tight', { maxRunningTasks: 0, reason: 'RESOURCE:FARGATE' });
    await register('web');
    const broken = await register('other');
    local.ecs.setBehavior(broken, {
      kind: 'start-failure',
      reason: 'ResourceInitializationError: unable to pull secrets or registry auth',
    });

    // Act
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'tight',
        serviceName: 'web',
        taskDefinition: 'web',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'prod',
        serviceName: 'other',
        taskDefinition: broken,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    await local.clock.advance(30 * 60_000);

    // Assess
    const actions = eventsOf(local, 'ECS Service Action');
    const placement = actions.find((e) => e.detail.eventName === 'SERVICE_TASK_PLACEMENT_FAILURE');
    expect(keysOf(placement?.detail)).toEqual(
      keysOf(fixture('service-action-placement-failure-fargate-spot-docs.json').detail),
    );
    expect(placement?.detail).toMatchObject({
      eventType: 'ERROR',
      reason: 'RESOURCE:FARGATE',
      capacityProviderArns: ['arn:aws:ecs:us-east-1:123456789012:capacity-provider/FARGATE'],
    });
    const impaired = actions.filter((e) => e.detail.eventName === 'SERVICE_TASK_START_IMPAIRED');
    expect(impaired).toHaveLength(1);
    expect(impaired[0]?.resources).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:service/prod/other',
    ]);
    expect(keysOf(impaired[0]?.detail)).toEqual(
      keysOf(fixture('service-action-task-start-impaired-docs.json').detail),
    );
    const starts = eventsOf(local, 'ECS Task State Change')
      .filter((e) => e.detail.lastStatus === 'PROVISIONING')
      .map((e) => Date.parse(e.time));
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    expect(gaps.slice(1).every((gap, i) => gap >= (gaps[i] ?? 0))).toBe(true);
  });
});
