import { eventsOf } from '@harbormaster/local-aws/testing';
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

const deploymentEventNames = (g: GuardStack) =>
  eventsOf(g.local, 'ECS Deployment State Change').map((e) => e.detail.eventName);

describe('Deployment guard, end to end: alarms and the rules against bad rollbacks', () => {
  it('rolls back when a watched alarm goes to ALARM during the deployment', async () => {
    // Prepare
    const g = await start({ tags: { 'harbormaster:guard:alarms': 'web-5xx' } });
    g.local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
    // Act
    g.deploy(undefined);
    await g.local.clock.advance(25_000);
    g.local.cloudwatch.setAlarmState('web-5xx', 'ALARM', 'Threshold Crossed: 5xx above 1%');
    await g.elapse(5);
    // Assess
    expect(g.guardUpdates()).toHaveLength(1);
    expect(g.deploymentAlerts().find((a) => a.subject.includes('rolled back'))?.subject).toBe(
      '[ERROR] prod/web rolled back to web:1 (CloudWatch alarm)',
    );
  });

  it('rolls back when a watched alarm goes to ALARM in the bake time after completion', async () => {
    // Prepare
    const g = await start({
      tags: { 'harbormaster:guard:alarms': 'web-5xx', 'harbormaster:guard:bake-minutes': '15' },
    });
    g.local.cloudwatch.putAlarm('web-5xx', { state: 'OK' });
    g.deploy(undefined);
    await g.elapse(5);
    const completed = deploymentEventNames(g).filter(
      (n) => n === 'SERVICE_DEPLOYMENT_COMPLETED',
    ).length;
    // Act
    g.local.cloudwatch.setAlarmState('web-5xx', 'ALARM', 'Threshold Crossed');
    await g.elapse(5);
    // Assess
    expect(completed).toBe(2);
    expect(g.guardUpdates()).toHaveLength(1);
    expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
  });

  it('reports an alarm already in ALARM when the deployment starts, and by default does not act on it', async () => {
    // Prepare
    const g = await start({ tags: { 'harbormaster:guard:alarms': 'web-5xx' } });
    g.local.cloudwatch.putAlarm('web-5xx', { state: 'ALARM' });
    // Act
    g.deploy(undefined);
    await g.elapse(20);
    // Assess
    expect(g.deploymentAlerts().map((a) => a.subject)).toContain(
      '[WARNING] prod/web deployment started with web-5xx already in ALARM',
    );
    expect(g.guardUpdates()).toHaveLength(0);
  });

  it('acts on an alarm already in ALARM when configured to', async () => {
    // Prepare
    const g = await start({
      tags: {
        'harbormaster:guard:alarms': 'web-5xx',
        'harbormaster:guard:already-in-alarm': 'act',
      },
    });
    g.local.cloudwatch.putAlarm('web-5xx', { state: 'ALARM' });
    // Act
    g.deploy(undefined);
    await g.elapse(5);
    // Assess
    expect(g.guardUpdates()).toHaveLength(1);
  });

  it('does not roll back a first deployment, and says so and what to do, once', async () => {
    // Prepare: a service whose very first revision cannot start
    const g = await start({ desiredCount: 1 });
    g.local.ecs.createService({
      cluster: 'prod',
      serviceName: 'api',
      taskDefinition: g.local.ecs.registerTaskDefinition({
        family: 'api',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: 'public.ecr.aws/nginx/nginx:missing', essential: true },
        ],
      }),
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    g.local.ecs.setBehavior('api', { kind: 'image-pull-failure' });
    // Act
    await g.elapse(40);
    // Assess
    expect(g.guardUpdates()).toHaveLength(0);
    const refusals = g
      .deploymentAlerts()
      .filter((a) =>
        a.subject.startsWith('[ERROR] prod/api deployment failing and not rolled back'),
      );
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.email).toContain(
      'this is the first deployment of the service: there is no previous version to roll back to',
    );
    expect(refusals[0]?.email).toContain(
      'To stop ECS from retrying failing tasks meanwhile, set the desired count to 0.',
    );
  });

  it('only alerts about a deployment that did not change the task definition (forceNewDeployment)', async () => {
    // Prepare: the image behind v1's tag now crashes; a forced deployment keeps v1
    const g = await start({ desiredCount: 1 });
    g.local.ecs.setBehavior(g.v1, { kind: 'crash', afterMs: 5_000 });
    // Act
    g.local.ecs.call('UpdateService', {
      cluster: 'prod',
      service: 'web',
      forceNewDeployment: true,
    });
    await g.elapse(10);
    // Assess
    expect(g.guardUpdates()).toHaveLength(0);
    const refusal = g.deploymentAlerts().filter((a) => a.subject.includes('not rolled back'));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]?.email).toContain(
      'the deployment did not change the task definition (web:1)',
    );
  });

  it('never rolls back its own rollback, even when that fails too', async () => {
    // Prepare: v2 crashes; after the rollback, v1 cannot start either (a shared dependency broke)
    const g = await start({ desiredCount: 1, circuitBreaker: { enable: false, rollback: false } });
    g.deploy({ kind: 'crash', afterMs: 5_000 });
    g.local.ecs.setBehavior(g.v1, {
      kind: 'start-failure',
      reason: 'ResourceInitializationError: unable to pull secrets',
    });
    // Act
    await g.elapse(40);
    // Assess
    expect(g.guardUpdates()).toHaveLength(1);
    const refusal = g.deploymentAlerts().find((a) => a.subject.includes('not rolled back'));
    expect(refusal?.email).toContain(
      'this deployment is a rollback by Harbormaster, and a rollback is never rolled back',
    );
  });
});
