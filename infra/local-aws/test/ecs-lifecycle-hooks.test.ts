import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  BLUE_GROUP,
  GATE,
  GREEN_GROUP,
  HOOK_ROLE,
  PRODUCTION_RULE,
  recordHook,
  SERVICE_ARN,
  TEST_RULE,
  useBlueGreenSandbox,
} from './blue-green-sandbox.ts';
import { eventsOf } from './harness.ts';

// Lambda lifecycle hooks as "Lambda hooks for Amazon ECS service deployments" documents them
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html): the
// payload (executionId, lifecycleStage, resourceArn, executionDetails, hookDetails); the answer
// (hookStatus SUCCEEDED / FAILED / IN_PROGRESS, callBackDelay defaulting to 30 s, hookDetails merged
// and passed back); "If your function doesn't return a valid hookStatus, or if it fails, Amazon ECS
// rolls back the deployment"; a rollback re-runs the TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT
// hooks with traffic going back to blue; hooks of one stage run in parallel
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html); and
// the timeout of API_DeploymentLifecycleHookTimeoutConfiguration (default ROLLBACK).

const SHIFT_STAGES = [
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
] as const;

describe('ECS Lambda lifecycle hooks', () => {
  const box = useBlueGreenSandbox();

  const deployWithHook = async (
    stages: string[],
    extra: Record<string, unknown> = {},
    config: Record<string, unknown> = {},
  ): Promise<void> => {
    await box.createWeb({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        { hookTargetArn: GATE, roleArn: HOOK_ROLE, lifecycleStages: stages as never, ...extra },
      ],
      ...config,
    });
    await box.local.clock.advance(2 * 60_000);
  };

  it('sends the documented payload, re-invokes IN_PROGRESS after callBackDelay and passes merged hookDetails back', async () => {
    // Prepare
    const { local } = box;
    const calls = recordHook(local, GATE, (_call, index) =>
      index === 0
        ? { hookStatus: 'SUCCEEDED' } // the first deployment's invocation
        : index < 3
          ? { hookStatus: 'IN_PROGRESS', callBackDelay: 45, hookDetails: { measurement: index } }
          : { hookStatus: 'SUCCEEDED' },
    );
    await deployWithHook(['POST_TEST_TRAFFIC_SHIFT'], { hookDetails: { analysis: 'error-rate' } });

    // Act
    await box.deployV2();
    await local.clock.advance(5 * 60_000);
    const [deployment] = await box.deployments();

    // Assess
    const [a, b, c] = calls.slice(1);
    expect(a?.payload).toEqual({
      executionId: a?.payload.executionId,
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      resourceArn: deployment?.serviceDeploymentArn,
      executionDetails: {
        serviceArn: SERVICE_ARN,
        targetServiceRevisionArn: deployment?.targetServiceRevision?.arn,
        testTrafficWeights: {},
        productionTrafficWeights: {},
      },
      hookDetails: { analysis: 'error-rate' },
    });
    expect(b?.payload.hookDetails).toEqual({ analysis: 'error-rate', measurement: 1 });
    expect(c?.payload.hookDetails).toEqual({ analysis: 'error-rate', measurement: 2 });
    expect(((b?.at ?? 0) - (a?.at ?? 0)) / 1000).toBe(45);
    expect(((c?.at ?? 0) - (b?.at ?? 0)) / 1000).toBe(45);
    expect(new Set([a, b, c].map((x) => x?.payload.executionId)).size).toBe(1);
    expect(deployment?.status).toBe('SUCCESSFUL');
  });

  it('re-invokes after 30 seconds when the answer gives no callBackDelay', async () => {
    // Prepare
    const { local } = box;
    const calls = recordHook(local, GATE, (_call, index) =>
      index === 1 ? { hookStatus: 'IN_PROGRESS' } : { hookStatus: 'SUCCEEDED' },
    );
    await deployWithHook(['PRE_SCALE_UP']);

    // Act
    await box.deployV2();
    await local.clock.advance(60_000);

    // Assess
    expect(((calls[2]?.at ?? 0) - (calls[1]?.at ?? 0)) / 1000).toBe(30);
  });

  it('rolls back on FAILED: production then test traffic back to blue, the traffic-shift hooks re-invoked, green scaled in', async () => {
    // Prepare
    const { local } = box;
    let failing = false;
    const calls = recordHook(local, GATE, (call) =>
      failing && call.payload.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT'
        ? { hookStatus: 'FAILED' }
        : { hookStatus: 'SUCCEEDED' },
    );
    await deployWithHook([...SHIFT_STAGES]);
    calls.splice(0);
    failing = true;

    // Act
    await box.deployV2();
    await local.clock.advance(5 * 60_000);
    const [deployment, previous] = await box.deployments();
    const service = await box.ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }),
    );

    // Assess
    const green = deployment?.targetServiceRevision?.arn ?? '';
    const blue = previous?.targetServiceRevision?.arn ?? '';
    expect(calls.map((c) => c.payload.lifecycleStage)).toEqual([
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'TEST_TRAFFIC_SHIFT',
    ]);
    expect(calls[0]?.payload.executionDetails.testTrafficWeights).toEqual({
      [green]: 100,
      [blue]: 0,
    });
    expect(calls[2]?.payload.executionDetails.productionTrafficWeights).toEqual({
      [green]: 0,
      [blue]: 100,
    });
    expect(calls[2]?.payload.executionDetails.targetServiceRevisionArn).toBe(green);
    expect(calls[3]?.payload.executionDetails.testTrafficWeights).toEqual({
      [green]: 0,
      [blue]: 100,
    });
    expect(deployment).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      statusReason: 'deployment failed: hook execution failure(s) detected',
      rollback: {
        reason: 'deployment failed: hook execution failure(s) detected',
        serviceRevisionArn: blue,
      },
    });
    expect(local.ecs.listenerRuleWeights(PRODUCTION_RULE)).toEqual({
      [BLUE_GROUP]: 100,
      [GREEN_GROUP]: 0,
    });
    expect(local.ecs.listenerRuleWeights(TEST_RULE)).toEqual({
      [BLUE_GROUP]: 100,
      [GREEN_GROUP]: 0,
    });
    const live = local.ecs.tasks({ serviceName: 'web', desiredStatus: 'RUNNING' });
    expect(live.map((t) => t.taskDefinitionArn.endsWith('web:1'))).toEqual([true, true]);
    expect(service.services?.[0]?.taskDefinition).toMatch(/web:1$/);
    const rollback = eventsOf(local, 'ECS Deployment State Change').at(-2);
    expect(rollback?.detail).toMatchObject({ eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS' });
    expect(String(rollback?.detail.reason)).toContain('rolling back to deploymentId');
  });

  it('rolls back when the function throws, answers an invalid hookStatus, or is not there', async () => {
    // Prepare
    const { local, ecs } = box;
    const bad: (() => unknown)[] = [
      () => {
        throw new Error('analysis crashed');
      },
      () => ({ status: 'SUCCEEDED' }),
      () => 'SUCCEEDED',
      () => ({ hookStatus: 'IN_PROGRESS', callBackDelay: 'soon' }),
    ];
    let answer: () => unknown = () => ({ hookStatus: 'SUCCEEDED' });
    const unregister = local.lambda.onInvoke(GATE, () => answer());
    await deployWithHook(['PRE_SCALE_UP']);
    const outcomes: (string | undefined)[] = [];
    const redeploy = async (): Promise<void> => {
      await ecs.send(
        new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }),
      );
      await local.clock.advance(2 * 60_000);
      outcomes.push((await box.deployments())[0]?.status);
    };

    // Act
    for (const next of bad) {
      answer = next;
      await redeploy();
    }
    unregister();
    await redeploy();

    // Assess
    expect(outcomes).toEqual(Array.from({ length: 5 }, () => 'ROLLBACK_SUCCESSFUL'));
    expect(local.lambda.invocations.at(-1)?.error?.name).toBe('ResourceNotFoundException');
    expect(local.ecs.tasks({ serviceName: 'web', desiredStatus: 'RUNNING' })).toHaveLength(2);
  });

  it('invokes every hook of a stage at once and moves on only when all have succeeded', async () => {
    // Prepare
    const { local } = box;
    const second = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test';
    const gate = recordHook(local, GATE);
    const smoke = recordHook(local, second, (_call, index) =>
      index === 1 ? { hookStatus: 'IN_PROGRESS', callBackDelay: 120 } : { hookStatus: 'SUCCEEDED' },
    );
    await box.createWeb({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [
        {
          hookTargetArn: GATE,
          roleArn: HOOK_ROLE,
          lifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
        },
        { hookTargetArn: second, roleArn: HOOK_ROLE, lifecycleStages: ['POST_SCALE_UP'] },
      ],
    });
    await local.clock.advance(2 * 60_000);
    gate.splice(0);

    // Act
    await box.deployV2();
    await local.clock.advance(5 * 60_000);

    // Assess
    const [gateScaleUp, gateTest] = gate;
    const [, waiting, done] = smoke;
    expect(gateScaleUp?.at).toBe(waiting?.at);
    expect(((done?.at ?? 0) - (waiting?.at ?? 0)) / 1000).toBe(120);
    expect(gateTest?.payload.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(gateTest?.at).toBe(done?.at);
  });

  it('rolls back when a hook keeps answering IN_PROGRESS past its timeout (ROLLBACK by default)', async () => {
    // Prepare
    const { local } = box;
    let stalling = false;
    recordHook(local, GATE, () =>
      stalling ? { hookStatus: 'IN_PROGRESS', callBackDelay: 20 } : { hookStatus: 'SUCCEEDED' },
    );
    await deployWithHook(['POST_SCALE_UP'], { timeoutConfiguration: { timeoutInMinutes: 3 } });
    stalling = true;

    // Act
    await box.deployV2();
    await local.clock.advance(2 * 60_000);
    const before = await box.deployments();
    await local.clock.advance(3 * 60_000);
    const rolledBack = (await box.deployments())[0];

    // Assess
    expect(before[0]?.lifecycleHookDetails).toEqual([
      {
        hookId: before[0]?.lifecycleHookDetails?.[0]?.hookId,
        targetType: 'AWS_LAMBDA',
        targetArn: GATE,
        status: 'IN_PROGRESS',
        expiresAt: before[0]?.lifecycleHookDetails?.[0]?.expiresAt,
        timeoutAction: 'ROLLBACK',
      },
    ]);
    expect(rolledBack?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(rolledBack?.statusReason).toContain('timed out');
  });
});
