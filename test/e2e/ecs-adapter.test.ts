import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { ecsClient } from '@harbormaster/local-aws/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEcsAdapter } from '#aws/ecs/adapter.ts';
import type { EcsPort } from '#aws/ecs/port.ts';
import { classifyStoppedTask } from '#kernel/events/stopped-task.ts';
import { createService, NETWORK, registerRevision } from '#support/local-services.ts';

let local: LocalAws;
let ecs: EcsPort;

beforeEach(async () => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
  ecs = createEcsAdapter(ecsClient(local, { maxAttempts: 3 }));
});
afterEach(async () => local.close());

describe('Adapter: EcsPort over the real SDK and the embedded endpoint', () => {
  it('describes a service with its deployments and tags', async () => {
    // Prepare
    createService(local, { desiredCount: 2 });
    await local.clock.advance(120_000);
    // Act
    const service = await ecs.describeService('prod', 'web');
    // Assess
    expect(service).toMatchObject({
      serviceName: 'web',
      deploymentController: 'ECS',
      circuitBreaker: { enable: true, rollback: true },
    });
    expect(service?.deployments).toMatchObject([
      { status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 },
    ]);
    expect(await ecs.describeService('prod', 'missing')).toBeUndefined();
  });

  it('lists stopped tasks of a deployment and describes them in the task event shape', async () => {
    // Prepare
    createService(local, { desiredCount: 2 });
    await local.clock.advance(120_000);
    const v2 = registerRevision(local, 'web');
    local.ecs.setBehavior(v2, { kind: 'crash', afterMs: 20_000, exitCode: 3 });
    local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', taskDefinition: v2 });
    await local.clock.advance(5 * 60_000);
    const deploymentId =
      (await ecs.describeService('prod', 'web'))?.deployments.find((d) => d.status === 'PRIMARY')
        ?.id ?? '';
    // Act
    const arns = await ecs.listTasks('prod', { startedBy: deploymentId, desiredStatus: 'STOPPED' });
    const tasks = await ecs.describeTasks('prod', arns);
    // Assess
    expect(arns.length).toBeGreaterThan(0);
    expect(tasks).toHaveLength(arns.length);
    for (const task of tasks) {
      expect(task.startedBy).toBe(deploymentId);
      expect(classifyStoppedTask(task)).toMatchObject({
        kind: 'crashed',
        failure: true,
        essentialExits: [{ name: 'app', exitCode: 3 }],
      });
    }
  });

  it('pages through more than 100 tasks', async () => {
    // Prepare
    local.ecs.createCluster('batch');
    const definition = registerRevision(local, 'report');
    for (let i = 0; i < 11; i += 1) {
      local.ecs.call('RunTask', {
        cluster: 'batch',
        taskDefinition: definition,
        count: 10,
        startedBy: 'hm/report',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      });
    }
    // Act
    const arns = await ecs.listTasks('batch', { startedBy: 'hm/report' });
    const tasks = await ecs.describeTasks('batch', arns);
    // Assess
    expect(arns).toHaveLength(110);
    expect(tasks).toHaveLength(110);
  });

  it('stops a task, and treats stopping it again or an unknown task as done', async () => {
    // Prepare
    local.ecs.createCluster('batch');
    local.ecs.call('RunTask', {
      cluster: 'batch',
      taskDefinition: registerRevision(local, 'report'),
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
    });
    await local.clock.advance(60_000);
    const [arn = ''] = await ecs.listTasks('batch', {});
    // Act
    const first = await ecs.stopTask('batch', arn, 'Harbormaster: deadline passed');
    await local.clock.advance(60_000);
    const again = await ecs.stopTask('batch', arn, 'Harbormaster: deadline passed');
    const unknown = await ecs.stopTask('batch', arn.replace(/[0-9a-f]{32}$/, 'f'.repeat(32)), 'x');
    // Assess
    expect([first, again, unknown]).toStrictEqual(['stopping', 'already-stopped', 'not-found']);
    const [task] = await ecs.describeTasks('batch', [arn]);
    expect(task).toMatchObject({
      stopCode: 'UserInitiated',
      stoppedReason: 'Harbormaster: deadline passed',
    });
  });

  it('describes a task definition with its tags, by family or revision, and says when it is unknown', async () => {
    // Prepare
    local.ecs.registerTaskDefinition({
      family: 'api',
      containerDefinitions: [{ name: 'app', image: 'nginx:1.27', memory: 256 }],
      tags: [{ key: 'team', value: 'payments' }],
    });
    // Act
    const byFamily = await ecs.describeTaskDefinition('api');
    const byRevision = await ecs.describeTaskDefinition('api:1');
    const unknown = await ecs.describeTaskDefinition('api:9');
    // Assess
    expect(byFamily).toMatchObject({
      definition: { family: 'api', revision: 1 },
      tags: { team: 'payments' },
    });
    expect(byRevision?.definition.taskDefinitionArn).toBe(byFamily?.definition.taskDefinitionArn);
    expect(unknown).toBeUndefined();
  });
});
