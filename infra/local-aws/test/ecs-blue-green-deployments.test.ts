import {
  ContinueServiceDeploymentCommand,
  CreateServiceCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  BLUE_GROUP,
  blueGreenLoadBalancer,
  GATE,
  GREEN_GROUP,
  HOOK_ROLE,
  PRODUCTION_RULE,
  recordHook,
  SERVICE_ARN,
  TEST_RULE,
  useBlueGreenSandbox,
} from './blue-green-sandbox.ts';
import { eventsOf, failure, network } from './harness.ts';

// Blue/green deployments as the Amazon ECS Developer Guide documents them:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html and
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html (the
// stages and their order), https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html, and the API
// reference pages API_DeploymentConfiguration, API_AdvancedConfiguration, API_ListServiceDeployments,
// API_DescribeServiceDeployments and API_DescribeServiceRevisions
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/).

const ALL_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

describe('ECS BLUE_GREEN deployments', () => {
  const box = useBlueGreenSandbox();

  it('runs the lifecycle stages in the documented order, moving the test then the production listener to green', async () => {
    // Prepare
    const { local, createWeb, deployV2, deployments } = box;
    const calls = recordHook(local, GATE);
    await createWeb({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      lifecycleHooks: [
        { hookTargetArn: GATE, roleArn: HOOK_ROLE, lifecycleStages: [...ALL_STAGES] },
      ],
    });
    await local.clock.advance(10 * 60_000);
    const first = calls.splice(0);

    // Act
    await deployV2();
    await local.clock.advance(60_000);
    const midway = (await deployments())[0];
    const weightsAtBake = local.ecs.listenerRuleWeights(PRODUCTION_RULE);
    await local.clock.advance(5 * 60_000);
    const [second, initial] = await deployments();

    // Assess
    expect(first.map((c) => c.payload.lifecycleStage)).toContain('PRE_SCALE_UP');
    expect(calls.map((c) => c.payload.lifecycleStage)).toEqual([
      'PRE_SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
    ]);
    expect(midway).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    expect(weightsAtBake).toEqual({ [GREEN_GROUP]: 100, [BLUE_GROUP]: 0 });
    expect(local.ecs.listenerRuleWeights(TEST_RULE)).toEqual({
      [GREEN_GROUP]: 100,
      [BLUE_GROUP]: 0,
    });
    expect(second).toMatchObject({
      status: 'SUCCESSFUL',
      lifecycleStage: 'CLEAN_UP',
      serviceArn: SERVICE_ARN,
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      sourceServiceRevisions: [{ arn: initial?.targetServiceRevision?.arn, runningTaskCount: 0 }],
      targetServiceRevision: {
        requestedTaskCount: 2,
        runningTaskCount: 2,
        requestedProductionTrafficWeight: 100,
      },
    });
    expect(second?.serviceDeploymentArn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\/[A-Za-z0-9_-]{22}$/,
    );
    expect(second?.targetServiceRevision?.arn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-revision\/prod\/web\/\d{19}$/,
    );
    expect(initial?.status).toBe('SUCCESSFUL');
    const live = local.ecs.tasks({ serviceName: 'web', desiredStatus: 'RUNNING' });
    expect(live.map((t) => t.taskDefinitionArn.split('/')[1])).toEqual(['web:2', 'web:2']);
    const names = eventsOf(local, 'ECS Deployment State Change').map((e) => e.detail.eventName);
    expect(names).toEqual([
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
    ]);
  });

  it('names the target group serving each revision in DescribeServiceRevisions', async () => {
    // Prepare
    const { local, ecs, createWeb, deployV2, deployments } = box;
    await createWeb({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    await local.clock.advance(2 * 60_000);

    // Act
    await deployV2();
    await local.clock.advance(3 * 60_000);
    const [green, blue] = await deployments();
    const out = await ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [
          blue?.targetServiceRevision?.arn ?? '',
          green?.targetServiceRevision?.arn ?? '',
          'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1',
        ],
      }),
    );

    // Assess
    const [b, g] = out.serviceRevisions ?? [];
    expect(b?.taskDefinition).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
    expect(b?.resolvedConfiguration?.loadBalancers).toEqual([
      { targetGroupArn: BLUE_GROUP, productionListenerRule: PRODUCTION_RULE },
    ]);
    expect(g?.taskDefinition).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    expect(g?.resolvedConfiguration?.loadBalancers?.[0]?.targetGroupArn).toBe(GREEN_GROUP);
    expect(g?.containerImages).toEqual([{ containerName: 'app', image: 'nginx:1.28' }]);
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1', reason: 'MISSING' },
    ]);
  });

  it('shifts a CANARY deployment in two steps, baking at the canary share', async () => {
    // Prepare
    const { local, createWeb, deployV2 } = box;
    const calls = recordHook(local, GATE);
    await createWeb({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 15 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        {
          hookTargetArn: GATE,
          roleArn: HOOK_ROLE,
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'],
        },
      ],
    });
    await local.clock.advance(2 * 60_000);
    calls.splice(0);
    const start = local.clock.nowMs();

    // Act
    await deployV2();
    await local.clock.advance(5 * 60_000);
    const atCanary = local.ecs.listenerRuleWeights(PRODUCTION_RULE);
    await local.clock.advance(15 * 60_000);

    // Assess
    expect(atCanary).toEqual({ [GREEN_GROUP]: 10, [BLUE_GROUP]: 90 });
    expect(local.ecs.listenerRuleWeights(PRODUCTION_RULE)).toEqual({
      [GREEN_GROUP]: 100,
      [BLUE_GROUP]: 0,
    });
    const green = calls[0]?.payload.executionDetails.targetServiceRevisionArn ?? '';
    const [blue] = Object.keys(
      calls[0]?.payload.executionDetails.productionTrafficWeights ?? {},
    ).filter((a) => a !== green);
    expect(
      calls.map((c) => [
        c.payload.lifecycleStage,
        c.payload.executionDetails.productionTrafficWeights,
      ]),
    ).toEqual([
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', { [green]: 0, [blue ?? '']: 100 }],
      ['PRODUCTION_TRAFFIC_SHIFT', { [green]: 10, [blue ?? '']: 90 }],
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', { [green]: 10, [blue ?? '']: 90 }],
      ['PRODUCTION_TRAFFIC_SHIFT', { [green]: 100, [blue ?? '']: 0 }],
    ]);
    // The second step comes after the canary bake time (15 minutes after the first step).
    expect(((calls[2]?.at ?? 0) - (calls[1]?.at ?? 0)) / 60_000).toBe(15);
    expect(((calls[1]?.at ?? 0) - start) / 60_000).toBeLessThan(1);
  });

  it('shifts a LINEAR deployment in equal steps, with no bake time after 100 percent', async () => {
    // Prepare
    const { local, createWeb, deployV2, deployments } = box;
    const calls = recordHook(local, GATE);
    await createWeb({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 2 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        {
          hookTargetArn: GATE,
          roleArn: HOOK_ROLE,
          lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
        },
      ],
    });
    await local.clock.advance(2 * 60_000);
    calls.splice(0);

    // Act
    await deployV2();
    await local.clock.advance(10 * 60_000);

    // Assess
    const green = calls[0]?.payload.executionDetails.targetServiceRevisionArn ?? '';
    const steps = calls
      .filter((c) => c.payload.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT')
      .map((c) => c.payload.executionDetails.productionTrafficWeights[green]);
    expect(steps).toEqual([30, 60, 90, 100]);
    const times = calls.map((c) => c.at);
    // 2 minutes between steps; POST_PRODUCTION_TRAFFIC_SHIFT follows the 100% step at once.
    expect(((times[1] ?? 0) - (times[0] ?? 0)) / 60_000).toBe(2);
    expect(times[4]).toBe(times[3]);
    expect((await deployments())[0]?.status).toBe('SUCCESSFUL');
  });

  it('runs RECONCILE_SERVICE when a deployment supersedes one in progress, which ends STOPPED', async () => {
    // Prepare
    const { local, ecs, createWeb, deployV2, deployments } = box;
    const calls = recordHook(local, GATE);
    await createWeb({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        { hookTargetArn: GATE, roleArn: HOOK_ROLE, lifecycleStages: ['RECONCILE_SERVICE'] },
        { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] },
      ],
    });
    await local.clock.advance(60_000);
    const firstPause = eventsOf(local, 'ECS Hook State Change')[0];
    await ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: String(firstPause?.detail.serviceDeploymentArn),
        hookId: String(firstPause?.detail.hookId),
      }),
    );
    await local.clock.advance(60_000);
    await deployV2();
    await local.clock.advance(60_000);

    // Act
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:1' }),
    );
    await local.clock.advance(2 * 60_000);
    const [newest, superseded] = await deployments();

    // Assess
    expect(superseded?.status).toBe('STOPPED');
    expect(newest?.sourceServiceRevisions).toHaveLength(2);
    expect(calls.map((c) => c.payload.lifecycleStage)).toEqual(['RECONCILE_SERVICE']);
    expect(newest).toMatchObject({
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    });
    const live = local.ecs.tasks({ serviceName: 'web', desiredStatus: 'RUNNING' });
    expect(live.map((t) => t.taskDefinitionArn.split('/')[1])).toEqual([
      'web:1',
      'web:1',
      'web:1',
      'web:1',
    ]);
    expect(local.ecs.listenerRuleWeights(PRODUCTION_RULE)).toEqual({
      [BLUE_GROUP]: 100,
      [GREEN_GROUP]: 0,
    });
    expect(eventsOf(local, 'ECS Hook State Change').map((e) => e.detail.eventName)).toEqual([
      'HOOK_AWAITING_ACTION',
      'HOOK_SUCCEEDED',
      'HOOK_AWAITING_ACTION',
      'HOOK_FAILED',
      'HOOK_AWAITING_ACTION',
    ]);
  });

  it('refuses strategy settings outside the documented values', async () => {
    // Prepare
    const { ecs } = box;
    const create = (
      deploymentConfiguration: Record<string, unknown>,
      loadBalancers = [blueGreenLoadBalancer],
    ) =>
      failure(
        ecs.send(
          new CreateServiceCommand({
            cluster: 'prod',
            serviceName: 'web',
            taskDefinition: 'web:1',
            desiredCount: 1,
            launchType: 'FARGATE',
            networkConfiguration: network,
            loadBalancers,
            deploymentConfiguration,
          }),
        ),
      );

    // Act
    const errors = await Promise.all([
      create({ strategy: 'RED_BLACK' }),
      create({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.05 } }),
      create({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2.5 } }),
      create({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 10.05 } }),
      create({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }),
      create({
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [{ hookTargetArn: GATE, lifecycleStages: ['PRE_SCALE_UP'] }],
      }),
      create({
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
      }),
      create({
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [
          {
            targetType: 'PAUSE',
            lifecycleStages: ['POST_SCALE_UP'],
            timeoutConfiguration: { timeoutInMinutes: 20_161 },
          },
        ],
      }),
      create({
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [
          { hookTargetArn: GATE, roleArn: HOOK_ROLE, lifecycleStages: ['SCALE_UP'] },
        ],
      }),
      create({
        strategy: 'BLUE_GREEN',
        lifecycleHooks: Array.from({ length: 11 }, () => ({
          targetType: 'PAUSE',
          lifecycleStages: ['POST_SCALE_UP'],
        })),
      }),
      create({ strategy: 'CANARY' }, []),
      create({ strategy: 'BLUE_GREEN' }, [
        {
          ...blueGreenLoadBalancer,
          advancedConfiguration: { ...blueGreenLoadBalancer.advancedConfiguration, roleArn: '' },
        },
      ]),
    ]);

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(InvalidParameterException);
    expect(errors[5]?.message).toContain('roleArn');
    expect(errors[6]?.message).toContain('PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT');
    expect(box.local.ecs.service('prod', 'web')).toBeUndefined();
  });

  it('keeps the rolling behaviour for a service without a strategy, and refuses a strategy change left invalid', async () => {
    // Prepare
    const { local, ecs, createWeb } = box;
    await createWeb({});
    await local.clock.advance(2 * 60_000);

    // Act
    const error = await failure(
      ecs.send(
        new UpdateServiceCommand({
          cluster: 'prod',
          service: 'web',
          taskDefinition: 'web:2',
          deploymentConfiguration: {
            strategy: 'LINEAR',
            linearConfiguration: { stepPercent: 200 },
          },
        }),
      ),
    );
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(described.services?.[0]?.taskDefinition).toBe(
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
    );
    expect(described.services?.[0]?.deployments?.[0]?.rolloutState).toBe('COMPLETED');
  });
});
