import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import { NETWORK, registerRevision } from '#support/local-services.ts';

const START = new Date('2026-11-21T09:00:00Z');
const ELB = 'arn:aws:elasticloadbalancing:us-east-1:111122223333';
const BLUE_GROUP = `${ELB}:targetgroup/web-blue/0123456789abcdef`;
const GREEN_GROUP = `${ELB}:targetgroup/web-green/fedcba9876543210`;
const PRODUCTION_RULE = `${ELB}:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
const TEST_RULE = `${ELB}:listener-rule/app/web-alb/50dc6c495c0c9188/2d7fe3d3d0c7a8b1/6b8f6f9f2c3d4e5f`;

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/**
 * Harbormaster on the embedded endpoint with prod/web (web:1) on a progressive strategy behind an
 * ALB (no lifecycle hooks: the guard alone), at steady state.
 */
const startProgressive = async (
  deploymentConfiguration: Record<string, unknown>,
  tags: Record<string, string> = {},
) => {
  stack = await startLocalStack({ now: START, config: {}, functions: FUNCTIONS });
  const { local } = stack;
  local.ecs.createCluster('prod');
  const v1 = registerRevision(local, 'web');
  local.ecs.createService({
    cluster: 'prod',
    serviceName: 'web',
    taskDefinition: v1,
    desiredCount: 2,
    launchType: 'FARGATE',
    networkConfiguration: NETWORK,
    loadBalancers: [
      {
        targetGroupArn: BLUE_GROUP,
        containerName: 'app',
        containerPort: 80,
        advancedConfiguration: {
          alternateTargetGroupArn: GREEN_GROUP,
          productionListenerRule: PRODUCTION_RULE,
          testListenerRule: TEST_RULE,
          roleArn: `arn:aws:iam::${local.accountId}:role/ecsInfrastructureRoleForLoadBalancers`,
        },
      },
    ],
    deploymentConfiguration,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  });
  await local.clock.advance(10 * 60_000);
  await stack.settle();
  const s = stack;
  return {
    local,
    v1,
    elapse: async (ms: number) => {
      await local.clock.advance(ms);
      await s.settle();
    },
    subjects: () => local.sns.messages(s.topicArn).map((m) => m.subject ?? ''),
    stops: () => local.calls.list('ecs', 'StopServiceDeployment', 'deployment-guard'),
    updates: () => local.calls.list('ecs', 'UpdateService', 'deployment-guard'),
    status: () => {
      const out = local.ecs.call('ListServiceDeployments', { cluster: 'prod', service: 'web' }) as {
        serviceDeployments?: { status?: string; createdAt?: number }[];
      };
      return [...(out.serviceDeployments ?? [])].sort(
        (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0),
      )[0]?.status;
    },
    greenShare: () => local.ecs.listenerRuleWeights(PRODUCTION_RULE)?.[GREEN_GROUP] ?? 0,
  };
};

describe('Deployment guard, end to end: blue/green, linear and canary deployments', () => {
  it('stops a canary whose green tasks crash with StopServiceDeployment(ROLLBACK): traffic back on blue, no UpdateService', async () => {
    // Prepare
    const g = await startProgressive({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 },
      bakeTimeInMinutes: 5,
    });
    const v2 = registerRevision(g.local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    g.local.ecs.setBehavior(v2, { kind: 'crash', afterMs: 90_000, exitCode: 2 });
    // Act
    g.local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    for (let i = 0; i < 60 && g.stops().length === 0; i += 1) await g.elapse(10_000);
    await g.elapse(5 * 60_000);
    // Assess
    expect(g.stops()).toHaveLength(1);
    expect(g.stops()[0]?.input).toMatchObject({ stopType: 'ROLLBACK' });
    const input = g.stops()[0]?.input as { serviceDeploymentArn?: string } | undefined;
    expect(input?.serviceDeploymentArn).toMatch(
      new RegExp(`^arn:aws:ecs:us-east-1:${g.local.accountId}:service-deployment/prod/web/`),
    );
    expect(g.updates()).toHaveLength(0);
    expect(g.status()).toBe('ROLLBACK_SUCCESSFUL');
    expect(g.greenShare()).toBe(0);
    expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
    expect(g.subjects()).toContain('[ERROR] prod/web rolled back to web:1 (failed tasks)');
  });

  it('stops a blue/green deployment when a watched alarm goes to ALARM', async () => {
    // Prepare
    const g = await startProgressive(
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 },
      { 'harbormaster:guard:alarms': 'web-5xx' },
    );
    g.local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
    const v2 = registerRevision(g.local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    g.local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    await g.elapse(2 * 60_000);
    // Act
    g.local.cloudwatch.setAlarmState('web-5xx', 'ALARM', 'Threshold Crossed: 5xx above 1%');
    await g.elapse(3 * 60_000);
    // Assess
    expect(g.stops()).toHaveLength(1);
    expect(g.updates()).toHaveLength(0);
    expect(g.status()).toBe('ROLLBACK_SUCCESSFUL');
    expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
    expect(g.subjects()).toContain('[ERROR] prod/web rolled back to web:1 (CloudWatch alarm)');
    expect(g.subjects()).toContain('[INFO] prod/web rollback completed: back on web:1');
  });

  it('redeploys blue’s revision when a watched alarm fires after ECS cleaned blue up (afterCleanUp: redeploy)', async () => {
    // Prepare: ECS bakes one minute; the guard watches ten more.
    const g = await startProgressive(
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
      { 'harbormaster:guard:alarms': 'web-5xx', 'harbormaster:guard:bake-minutes': '10' },
    );
    g.local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
    const v2 = registerRevision(g.local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    g.local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    for (let i = 0; i < 60 && g.status() !== 'SUCCESSFUL'; i += 1) await g.elapse(10_000);
    // Act
    g.local.cloudwatch.setAlarmState('web-5xx', 'ALARM', 'Threshold Crossed: 5xx above 1%');
    await g.elapse(10 * 60_000);
    // Assess: no deployment to stop any more; a new one back to web:1.
    expect(g.stops()).toHaveLength(0);
    expect(g.updates()).toHaveLength(1);
    expect(g.updates()[0]?.input).toMatchObject({ taskDefinition: g.v1 });
    expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
    expect(g.subjects()).toContain('[ERROR] prod/web rolled back to web:1 (CloudWatch alarm)');
  });
});
