import {
  CreateClusterCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventBridgeEnvelope, type LocalAws, SimClock, startLocalAws } from '../index.ts';
import {
  clientConfig,
  ecsClient,
  eventsOf,
  fargateTaskDefinition,
  fixture,
  keysOf,
  network,
  START,
} from './harness.ts';

describe('SimClock', () => {
  it('runs due timers in time order, including timers scheduled while advancing', async () => {
    // Prepare
    const clock = new SimClock(START);
    const seen: string[] = [];
    clock.schedule(2_000, () => seen.push(`b@${clock.nowMs() - START.getTime()}`));
    clock.schedule(1_000, () => {
      seen.push('a@1000');
      clock.schedule(500, () => seen.push(`c@${clock.nowMs() - START.getTime()}`));
    });
    clock.schedule(5_000, () => seen.push('late'));

    // Act
    await clock.advance(2_000);

    // Assess
    expect(seen).toEqual(['a@1000', 'c@1500', 'b@2000']);
    expect(clock.now()).toEqual(new Date(START.getTime() + 2_000));
    expect(clock.pending()).toBe(1);
  });
});

describe('Event delivery and CloudTrail', () => {
  let local: LocalAws;
  let ecs: ECSClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ecs = ecsClient(local);
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('job')));
  });

  afterEach(async () => {
    ecs.destroy();
    await local.close();
  });

  it('emits a CloudTrail record for write calls received over the wire, shaped like the real one', async () => {
    // Prepare
    local.identities.set(
      'ASIAROLLBACKLAMBDA01',
      'arn:aws:sts::123456789012:assumed-role/harbormaster-rollback/rollback-fn',
    );
    const lambda = new ECSClient(
      clientConfig(local, {
        credentials: { accessKeyId: 'ASIAROLLBACKLAMBDA01', secretAccessKey: 's' },
      }),
    );

    // Act
    await lambda.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'job',
        launchType: 'FARGATE',
        networkConfiguration: network,
        startedBy: 'harbormaster',
      }),
    );
    await lambda
      .send(new UpdateServiceCommand({ cluster: 'prod', service: 'missing', desiredCount: 1 }))
      .catch(() => undefined);
    await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['missing'] }));
    lambda.destroy();

    // Assess
    const trail = eventsOf(local, 'AWS API Call via CloudTrail');
    expect(trail.map((e) => e.detail.eventName)).toEqual([
      'CreateCluster',
      'RegisterTaskDefinition',
      'RunTask',
      'UpdateService',
    ]);
    const runTask = trail[2] as EventBridgeEnvelope;
    const record = fixture('cloudtrail-record-ecs-createcluster-docs.json') as unknown as Record<
      string,
      unknown
    >;
    expect(keysOf(runTask.detail)).toEqual(keysOf(record));
    expect(keysOf(runTask.detail.userIdentity)).toEqual(keysOf(record.userIdentity));
    expect(runTask).toMatchObject({
      source: 'aws.ecs',
      resources: [],
      account: '123456789012',
      region: 'us-east-1',
    });
    expect(runTask.detail).toMatchObject({
      eventSource: 'ecs.amazonaws.com',
      eventType: 'AwsApiCall',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      recipientAccountId: '123456789012',
      eventTime: '2026-11-02T09:00:00Z',
      requestParameters: expect.objectContaining({ cluster: 'prod', startedBy: 'harbormaster' }),
      userIdentity: expect.objectContaining({
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/harbormaster-rollback/rollback-fn',
        accessKeyId: 'ASIAROLLBACKLAMBDA01',
        sessionContext: expect.objectContaining({
          sessionIssuer: expect.objectContaining({
            arn: 'arn:aws:iam::123456789012:role/harbormaster-rollback',
          }),
        }),
      }),
    });
    expect(String(runTask.detail.userAgent)).toMatch(/^aws-sdk-js\//);
    const response = runTask.detail.responseElements as { tasks: { createdAt: string }[] };
    expect(response.tasks[0]?.createdAt).toBe('Nov 2, 2026, 9:00:00 AM');
    expect(trail[3]?.detail).toMatchObject({
      errorCode: 'ServiceNotFoundException',
      errorMessage: 'Service not found.',
      responseElements: null,
    });
  });

  it('lets SDK calls made by listeners land at the simulated instant of the event', async () => {
    // Prepare
    const handler = async (taskArn: string): Promise<void> => {
      await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['none'] }));
      await ecs.send(new StopTaskCommand({ cluster: 'prod', task: taskArn, reason: 'handler' }));
    };
    local.onEvent((event) => {
      if (event.detail.lastStatus === 'RUNNING' && event.detail.desiredStatus === 'RUNNING') {
        void handler(event.resources[0] ?? '');
      }
    });
    await ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'job',
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );

    // Act
    await local.clock.advance(120_000);
    await local.settle();

    // Assess
    const stop = local.calls.list('ecs', 'StopTask')[0];
    expect(stop?.at).toEqual(new Date(START.getTime() + 20_000));
    const stopped = eventsOf(local, 'ECS Task State Change').at(-1);
    expect(stopped?.detail).toMatchObject({
      lastStatus: 'STOPPED',
      stoppedReason: 'handler',
      stoppingAt: '2026-11-02T09:00:20Z',
    });
  });

  it('delivers events in order to listeners that call back into the API', async () => {
    // Prepare
    const seen: string[] = [];
    const stops: Promise<unknown>[] = [];
    local.onEvent((event) => {
      seen.push(
        `${event['detail-type']}:${String(event.detail.lastStatus ?? event.detail.eventName)}`,
      );
      if (event.detail.lastStatus === 'RUNNING' && event.detail.desiredStatus === 'RUNNING') {
        // A synchronous model call from inside a listener: its events queue behind this one.
        local.ecs.call('StopTask', {
          cluster: 'prod',
          task: event.resources[0],
          reason: 'listener',
        });
        seen.push('after-call');
      }
    });
    local.onEvent((event) => {
      if (event.detail.lastStatus === 'DEPROVISIONING')
        stops.push(ecs.send(new StopTaskCommand({ cluster: 'prod', task: event.resources[0] })));
    });

    // Act
    await ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'job',
        launchType: 'FARGATE',
        networkConfiguration: network,
      }),
    );
    await local.clock.advance(120_000);
    const answers = await Promise.all(stops);

    // Assess
    expect(seen.filter((s) => s.startsWith('ECS Task'))).toEqual([
      'ECS Task State Change:PROVISIONING',
      'ECS Task State Change:PENDING',
      'ECS Task State Change:RUNNING',
      'ECS Task State Change:RUNNING',
      'ECS Task State Change:DEPROVISIONING',
      'ECS Task State Change:STOPPED',
    ]);
    expect(seen.indexOf('after-call')).toBe(seen.lastIndexOf('ECS Task State Change:RUNNING') - 1);
    expect(answers).toHaveLength(1);
    const events = eventsOf(local, 'ECS Task State Change');
    expect(events.map((e) => e.detail.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(events.map((e) => e.id)).size).toBe(6);
    for (const event of events)
      expect(event.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
  });
});
