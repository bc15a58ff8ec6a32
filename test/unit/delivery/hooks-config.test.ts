import { describe, expect, it } from 'vitest';
import type { ServiceDeploymentState } from '#aws/ecs/service-deployment-state.ts';
import { answerPause, checkPaused, continueRunner } from '#delivery/approvals/continue.ts';
import { lifecycleHooksFor, renderHooks } from '#delivery/hooks-config.ts';
import { resolveDeliverySettings } from '#delivery/settings.ts';
import { execute } from '#kernel/execute.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import {
  DEPLOYMENT_ARN,
  deliveryConfig,
  deploymentOf,
  FakeServiceDeployments,
} from '#support/delivery.ts';

const TARGETS = {
  functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:harbormaster-prod-deployment-hooks',
  roleArn: 'arn:aws:iam::111122223333:role/harbormaster-prod-DeploymentHooksInvokeRole-AbC',
};

const hooksOf = (delivery: object) =>
  lifecycleHooksFor(
    resolveDeliverySettings(deliveryConfig({ delivery } as never).delivery, 'prod', 'web', {}),
    TARGETS,
  );

describe('The lifecycle hooks a service needs (harbormaster hooks)', () => {
  it('registers the function at PRE_SCALE_UP and the analysis stages, its timeout above the longest analysis', () => {
    // Act
    const [lambda] = hooksOf({
      analysisGate: {
        dataDelaySeconds: 60,
        analyses: [
          { name: 'a', metric: 'http-5xx-rate', interval: 120, count: 5, failureLimit: 1 },
        ],
      },
    });
    // Assess: 120 s x (5 + 1 + 1 + 1) + 60 s + 4 x 30 s = 1,140 s: 19 minutes, and 5 more.
    expect(lambda).toStrictEqual({
      targetType: 'AWS_LAMBDA',
      ...{ hookTargetArn: TARGETS.functionArn, roleArn: TARGETS.roleArn },
      lifecycleStages: ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT'],
      timeoutConfiguration: { timeoutInMinutes: 24, action: 'ROLLBACK' },
    });
  });

  it('adds no hook for gates that are off, and a pause hook for approvals', () => {
    // Act
    const hooks = hooksOf({
      mode: 'off',
      approvals: { stages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutAction: 'CONTINUE' },
    });
    // Assess
    expect(hooks).toStrictEqual([
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 1440, action: 'CONTINUE' },
      },
    ]);
    expect(hooksOf({ mode: 'off' })).toStrictEqual([]);
  });

  it('renders CloudFormation, CDK, Terraform and the AWS CLI forms', () => {
    // Prepare
    const hooks = hooksOf({ approvals: { stages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] } });
    const where = { cluster: 'prod', service: 'web' };
    // Act
    const [cfn, cdk, tf, cli] = (['cloudformation', 'cdk', 'terraform', 'cli'] as const).map((f) =>
      renderHooks(hooks, f, where),
    ) as [string, string, string, string];
    // Assess
    expect(cfn).toBe(
      [
        'DeploymentConfiguration:',
        '  LifecycleHooks:',
        '    - TargetType: AWS_LAMBDA',
        `      HookTargetArn: ${TARGETS.functionArn}`,
        `      RoleArn: ${TARGETS.roleArn}`,
        '      LifecycleStages:',
        '        - PRE_SCALE_UP',
        '        - POST_TEST_TRAFFIC_SHIFT',
        '        - PRE_PRODUCTION_TRAFFIC_SHIFT',
        '      TimeoutConfiguration:',
        '        TimeoutInMinutes: 13',
        '        Action: ROLLBACK',
        '    - TargetType: PAUSE',
        '      LifecycleStages:',
        '        - PRE_PRODUCTION_TRAFFIC_SHIFT',
        '      TimeoutConfiguration:',
        '        TimeoutInMinutes: 1440',
        '        Action: ROLLBACK',
      ].join('\n'),
    );
    expect(cdk).toContain(
      "(service.node.defaultChild as ecs.CfnService).addPropertyOverride(\n  'DeploymentConfiguration.LifecycleHooks',",
    );
    expect(JSON.parse(cdk.slice(cdk.indexOf('['), cdk.lastIndexOf(']') + 1))[1]).toStrictEqual({
      TargetType: 'PAUSE',
      LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
      TimeoutConfiguration: { TimeoutInMinutes: 1440, Action: 'ROLLBACK' },
    });
    expect(tf).toContain(
      '    lifecycle_stages = ["PRE_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT"]',
    );
    expect(tf).toContain('  # A pause hook (approval) at PRE_PRODUCTION_TRAFFIC_SHIFT');
    expect(cli).toContain(
      'aws ecs update-service --cluster prod --service web --deployment-configuration file://deployment-configuration.json',
    );
    expect(JSON.parse(cli.slice(cli.indexOf('{'))).lifecycleHooks).toStrictEqual(hooks);
  });
});

describe('Answering a pause hook (harbormaster approve and reject, chat buttons)', () => {
  const awaiting = (
    status = 'AWAITING_ACTION',
    hookIds = ['ecs-pause-1'],
  ): ServiceDeploymentState =>
    deploymentOf({
      hooks: hookIds.map((hookId) => ({
        hookId,
        targetType: 'PAUSE',
        targetArn: undefined,
        status,
        expiresAt: undefined,
        timeoutAction: 'ROLLBACK',
      })),
    });

  it.each<[string, ServiceDeploymentState | undefined, string | undefined, string]>([
    ['an unknown deployment', undefined, undefined, 'ECS knows no such service deployment'],
    [
      'a deployment no longer in progress',
      { ...awaiting(), status: 'ROLLBACK_IN_PROGRESS' },
      undefined,
      'the deployment is ROLLBACK_IN_PROGRESS, not IN_PROGRESS',
    ],
    [
      'a hook answered already',
      awaiting('SUCCEEDED'),
      'ecs-pause-1',
      'hook ecs-pause-1 is SUCCEEDED, not AWAITING_ACTION',
    ],
    ['no pause waiting', awaiting('SUCCEEDED'), undefined, 'no pause hook awaits an answer'],
    [
      'two pauses waiting and none named',
      awaiting('AWAITING_ACTION', ['ecs-pause-1', 'ecs-pause-2']),
      undefined,
      '2 pause hooks await an answer: name one with --hook-id',
    ],
  ])('refuses %s', (_label, deployment, hookId, reason) => {
    // Assess
    expect(checkPaused(deployment, hookId)).toStrictEqual({
      ok: false,
      reason: expect.stringContaining(reason),
    });
  });

  it('answers the one pause waiting, with the deployment ARN and the hook id', async () => {
    // Prepare
    const port = new FakeServiceDeployments();
    port.deployments.set(DEPLOYMENT_ARN, awaiting());
    // Act
    const outcome = await answerPause(
      {
        type: 'continue-deployment',
        request: { serviceDeploymentArn: DEPLOYMENT_ARN, hookId: '', action: 'ROLLBACK' },
        requestedBy: 'U0123',
      },
      { serviceDeployments: port },
      silentTelemetry,
    );
    // Assess
    expect(outcome).toStrictEqual({
      status: 'done',
      detail: 'ROLLBACK sent to hook ecs-pause-1 at POST_TEST_TRAFFIC_SHIFT',
    });
    expect(port.calls).toStrictEqual([
      'describe 1',
      'describe 1',
      `continue ${DEPLOYMENT_ARN} ecs-pause-1 ROLLBACK`,
    ]);
  });

  it('answers a hook once under its lease, however many clicks arrive', async () => {
    // Prepare
    const port = new FakeServiceDeployments();
    port.deployments.set(DEPLOYMENT_ARN, awaiting());
    const leases = new MemoryLeaseStore();
    const click = (requestId: string) =>
      execute(
        [
          {
            type: 'continue-deployment' as const,
            request: {
              serviceDeploymentArn: DEPLOYMENT_ARN,
              hookId: 'ecs-pause-1',
              action: 'CONTINUE' as const,
            },
            requestedBy: 'U0123',
          },
        ],
        { 'continue-deployment': continueRunner },
        {
          ports: { serviceDeployments: port },
          telemetry: silentTelemetry,
          now: new Date(),
          dryRun: false,
          invocation: { requestId, attemptId: `${requestId}/1`, remainingMs: () => 10_000 },
          leases,
          clock: () => new Date(),
        },
      );
    // Act: the emulator's ContinueServiceDeployment does not change the fake's hook status,
    // so only the lease keeps the second click from answering again.
    const results = await Promise.all([click('r-1'), click('r-2')].map((p) => p.catch((e) => e)));
    const later = await click('r-3');
    // Assess
    expect(port.calls.filter((c) => c.startsWith('continue'))).toStrictEqual([
      `continue ${DEPLOYMENT_ARN} ecs-pause-1 CONTINUE`,
    ]);
    expect(later[0]?.detail).toBe(
      'already done: CONTINUE sent to hook ecs-pause-1 at POST_TEST_TRAFFIC_SHIFT',
    );
    expect(results.filter((r) => r instanceof Error).map((e) => (e as Error).name)).toStrictEqual([
      'LeaseHeldError',
    ]);
  });
});
