import {
  ClientException,
  ConflictException,
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  InvalidParameterException,
  ServiceDeploymentNotFoundException,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  BLUE_GROUP,
  GREEN_GROUP,
  PRODUCTION_RULE,
  SERVICE_ARN,
  useBlueGreenSandbox,
} from './blue-green-sandbox.ts';
import { eventsOf, failure } from './harness.ts';

// Pause hooks and the two calls that end a deployment's wait or the deployment itself:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html (hook ids,
// a pause before every linear/canary step, the timeout: 1–20160 minutes, ROLLBACK by default),
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_hook_state_change_events.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/continue-service-deployment.html
// (AWAITING_ACTION hook, IN_PROGRESS deployment), API_ContinueServiceDeployment (serviceDeploymentArn
// and hookId both required, action CONTINUE by default), and
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html with
// API_StopServiceDeployment (stopType ROLLBACK; ConflictException; ServiceDeploymentNotFoundException).

const pauseAt = (stages: string[], timeout?: Record<string, unknown>) => ({
  targetType: 'PAUSE' as const,
  lifecycleStages: stages as never,
  ...(timeout === undefined ? {} : { timeoutConfiguration: timeout }),
});

describe('ECS pause hooks and ContinueServiceDeployment', () => {
  const box = useBlueGreenSandbox();

  const pausedDeployment = async (timeout?: Record<string, unknown>) => {
    await box.createWeb({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    await box.local.clock.advance(2 * 60_000);
    const { UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
    await box.ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: 'web:2',
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 0,
          lifecycleHooks: [pauseAt(['POST_TEST_TRAFFIC_SHIFT'], timeout)],
        },
      }),
    );
    await box.local.clock.advance(2 * 60_000);
    const [deployment] = await box.deployments();
    return {
      arn: deployment?.serviceDeploymentArn ?? '',
      hookId: deployment?.lifecycleHookDetails?.[0]?.hookId ?? '',
      deployment,
    };
  };

  it('waits at the stage with HOOK_AWAITING_ACTION until CONTINUE, then finishes (HOOK_SUCCEEDED)', async () => {
    // Prepare
    const { local, ecs } = box;
    const { arn, hookId, deployment } = await pausedDeployment();

    // Act
    const withoutArn = await failure(
      ecs.send(new ContinueServiceDeploymentCommand({ hookId } as never)),
    );
    const withoutHook = await failure(
      ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn } as never)),
    );
    await local.clock.advance(30 * 60_000);
    const stillWaiting = (await box.deployments())[0];
    await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId }));
    await local.clock.advance(2 * 60_000);
    const twice = await failure(
      ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId })),
    );

    // Assess
    expect(hookId).toMatch(/^ecs-pause-[A-Za-z0-9_-]{41}$/);
    expect(deployment).toMatchObject({
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [
        { hookId, targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' },
      ],
    });
    expect(deployment?.lifecycleHookDetails?.[0]?.targetArn).toBeUndefined();
    expect(withoutArn).toBeInstanceOf(InvalidParameterException);
    expect(withoutHook).toBeInstanceOf(InvalidParameterException);
    expect(stillWaiting?.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(twice).toBeInstanceOf(ClientException);
    expect((await box.deployments())[0]?.status).toBe('SUCCESSFUL');
    const events = eventsOf(local, 'ECS Hook State Change');
    expect(events.map((e) => e.detail.eventName)).toEqual([
      'HOOK_AWAITING_ACTION',
      'HOOK_SUCCEEDED',
    ]);
    expect(events[0]?.resources).toEqual([arn]);
    expect(events[0]?.detail).toEqual({
      eventType: 'INFO',
      eventName: 'HOOK_AWAITING_ACTION',
      hookId,
      hookType: 'PAUSE',
      // Green's tasks ran 20 s after the update; the pause began then, with the 1440-minute default.
      expiresAt: '2026-11-03T09:02:20.000Z',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      serviceArn: SERVICE_ARN,
      serviceDeploymentArn: arn,
      updatedAt: '2026-11-02T09:02:20.000Z',
    });
  });

  it('rolls back on ContinueServiceDeployment(ROLLBACK) with HOOK_FAILED', async () => {
    // Prepare
    const { local, ecs } = box;
    const { arn, hookId } = await pausedDeployment();

    // Act
    await ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId,
        action: 'ROLLBACK',
      }),
    );
    await local.clock.advance(2 * 60_000);

    // Assess
    expect((await box.deployments())[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(eventsOf(local, 'ECS Hook State Change').map((e) => e.detail.eventName)).toEqual([
      'HOOK_AWAITING_ACTION',
      'HOOK_FAILED',
    ]);
  });

  it('times out as configured: HOOK_TIMED_OUT, then ROLLBACK by default or CONTINUE when asked', async () => {
    // Prepare
    const { local } = box;
    await pausedDeployment({ timeoutInMinutes: 60, action: 'CONTINUE' });

    // Act
    await local.clock.advance(57 * 60_000);
    const before = (await box.deployments())[0]?.status;
    await local.clock.advance(3 * 60_000);

    // Assess
    expect(before).toBe('IN_PROGRESS');
    expect((await box.deployments())[0]?.status).toBe('SUCCESSFUL');
    expect(eventsOf(local, 'ECS Hook State Change').map((e) => e.detail.eventName)).toEqual([
      'HOOK_AWAITING_ACTION',
      'HOOK_TIMED_OUT',
    ]);
  });

  it('pauses before every step of a LINEAR deployment, each with a new hookId', async () => {
    // Prepare
    const { local, ecs, createWeb, deployV2 } = box;
    await createWeb({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 0 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [pauseAt(['PRE_PRODUCTION_TRAFFIC_SHIFT'])],
    });
    await local.clock.advance(60_000);
    const first = eventsOf(local, 'ECS Hook State Change')[0];
    await ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: String(first?.detail.serviceDeploymentArn),
        hookId: String(first?.detail.hookId),
      }),
    );
    await local.clock.advance(60_000);
    const weights: (Record<string, number> | undefined)[] = [];

    // Act
    await deployV2();
    for (let step = 0; step < 2; step += 1) {
      await local.clock.advance(60_000);
      weights.push(local.ecs.listenerRuleWeights(PRODUCTION_RULE));
      const waiting = eventsOf(local, 'ECS Hook State Change').at(-1);
      await ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: String(waiting?.detail.serviceDeploymentArn),
          hookId: String(waiting?.detail.hookId),
        }),
      );
    }
    await local.clock.advance(60_000);

    // Assess
    const awaiting = eventsOf(local, 'ECS Hook State Change').filter(
      (e) => e.detail.eventName === 'HOOK_AWAITING_ACTION',
    );
    expect(awaiting).toHaveLength(3);
    expect(new Set(awaiting.map((e) => e.detail.hookId)).size).toBe(3);
    expect(weights).toEqual([
      { [BLUE_GROUP]: 100, [GREEN_GROUP]: 0 },
      { [GREEN_GROUP]: 50, [BLUE_GROUP]: 50 },
    ]);
    expect((await box.deployments())[0]?.status).toBe('SUCCESSFUL');
  });

  it('StopServiceDeployment rolls back an ongoing deployment and refuses a finished one', async () => {
    // Prepare
    const { local, ecs } = box;
    const { arn } = await pausedDeployment();
    const unknown = `${arn.slice(0, -22)}AAAAAAAAAAAAAAAAAAAAAA`;

    // Act
    const abort = await failure(
      ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' })),
    );
    await ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    const requested = (
      await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))
    ).serviceDeployments?.[0];
    await local.clock.advance(2 * 60_000);
    const done = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn, unknown] }),
    );
    const again = await failure(
      ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn })),
    );
    const missing = await failure(
      ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: unknown })),
    );
    const tooMany = await failure(
      ecs.send(
        new DescribeServiceDeploymentsCommand({
          serviceDeploymentArns: Array.from({ length: 21 }, () => arn),
        }),
      ),
    );

    // Assess
    expect(abort).toBeInstanceOf(InvalidParameterException);
    expect(requested?.status).toBe('ROLLBACK_REQUESTED');
    expect(done.serviceDeployments?.[0]).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      rollback: { reason: expect.any(String) },
    });
    expect(done.failures).toEqual([{ arn: unknown, reason: 'MISSING' }]);
    expect(again).toBeInstanceOf(ConflictException);
    expect(missing).toBeInstanceOf(ServiceDeploymentNotFoundException);
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
    // The paused hook's question is closed by the rollback.
    expect(eventsOf(local, 'ECS Hook State Change').map((e) => e.detail.eventName)).toEqual([
      'HOOK_AWAITING_ACTION',
      'HOOK_FAILED',
    ]);
  });
});
