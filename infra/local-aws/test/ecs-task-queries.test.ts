import {
  DescribeTasksCommand,
  type ECSClient,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import {
  ecsClient,
  eventsOf,
  fargateTaskDefinition,
  fixture,
  keysOf,
  runReport,
  START,
} from './harness.ts';

describe('ECS task queries and StopTask', () => {
  let local: LocalAws;
  let ecs: ECSClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ecs = ecsClient(local);
    local.ecs.createCluster('batch');
    await ecs.send(
      new RegisterTaskDefinitionCommand(fargateTaskDefinition('report', 'reporter:2.1', true)),
    );
  });

  afterEach(async () => {
    ecs.destroy();
    await local.close();
  });

  const run = (extra: Record<string, unknown> = {}) => runReport(ecs, extra);

  it('applies the ListTasks filter rules, pagination and stopped-task retention', async () => {
    // Prepare
    const nightly = await run({ count: 3, startedBy: 'nightly' });
    await run({ count: 1 });
    const toStop = nightly.tasks?.[0]?.taskArn ?? '';

    // Act
    const combined = await ecs
      .send(new ListTasksCommand({ cluster: 'batch', startedBy: 'nightly', family: 'report' }))
      .catch((e: unknown) => e);
    const byStarter = await ecs.send(
      new ListTasksCommand({ cluster: 'batch', startedBy: 'nightly', desiredStatus: 'RUNNING' }),
    );
    const page1 = await ecs.send(
      new ListTasksCommand({ cluster: 'batch', family: 'report', maxResults: 3 }),
    );
    const page2 = await ecs.send(
      new ListTasksCommand({
        cluster: 'batch',
        family: 'report',
        maxResults: 3,
        nextToken: page1.nextToken,
      }),
    );
    await ecs.send(
      new StopTaskCommand({ cluster: 'batch', task: toStop, reason: 'Superseded by rerun' }),
    );
    await local.clock.advance(60_000);
    const stoppedList = await ecs.send(
      new ListTasksCommand({ cluster: 'batch', desiredStatus: 'STOPPED' }),
    );
    const pending = await ecs.send(
      new ListTasksCommand({ cluster: 'batch', desiredStatus: 'PENDING' }),
    );
    await local.clock.advance(3_600_000);
    const later = await ecs.send(
      new ListTasksCommand({ cluster: 'batch', desiredStatus: 'STOPPED' }),
    );
    const describedLater = await ecs.send(
      new DescribeTasksCommand({ cluster: 'batch', tasks: [toStop] }),
    );

    // Assess
    expect(combined).toBeInstanceOf(InvalidParameterException);
    expect(byStarter.taskArns).toHaveLength(3);
    expect(page1.taskArns).toHaveLength(3);
    expect(page2.taskArns).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();
    expect(stoppedList.taskArns).toEqual([toStop]);
    expect(pending.taskArns).toEqual([]);
    expect(later.taskArns).toEqual([]);
    expect(describedLater.failures).toEqual([{ arn: toStop, reason: 'MISSING' }]);
  });

  it('stops tasks with the user reason, is repeat-safe, and rejects unknown tasks', async () => {
    // Prepare
    const out = await run({ count: 2 });
    await local.clock.advance(30_000);
    const [a, b] = out.tasks?.map((t) => t.taskArn ?? '') ?? [];

    // Act
    const withReason = await ecs.send(
      new StopTaskCommand({ cluster: 'batch', task: a, reason: 'Cancelled by operator' }),
    );
    await ecs.send(new StopTaskCommand({ cluster: 'batch', task: b }));
    await local.clock.advance(60_000);
    const again = await ecs.send(new StopTaskCommand({ cluster: 'batch', task: a }));
    const unknown = await ecs
      .send(new StopTaskCommand({ cluster: 'batch', task: '0123456789abcdef0123456789abcdef' }))
      .catch((e: unknown) => e);
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'batch', tasks: [b ?? ''], include: ['TAGS'] }),
    );

    // Assess
    expect(withReason.task).toMatchObject({
      desiredStatus: 'STOPPED',
      lastStatus: 'RUNNING',
      stopCode: 'UserInitiated',
      stoppedReason: 'Cancelled by operator',
    });
    expect(again.task).toMatchObject({
      lastStatus: 'STOPPED',
      stoppedReason: 'Cancelled by operator',
    });
    expect(described.tasks?.[0]).toMatchObject({
      stoppedReason: 'Task stopped by user',
      stopCode: 'UserInitiated',
      tags: [],
    });
    expect(unknown).toBeInstanceOf(InvalidParameterException);
    expect((unknown as Error).message).toBe('The referenced task was not found.');
  });

  it('deletes the tags of a task stopped by StopTask once it is STOPPED (API_StopTask: "Any tags associated with the task will be deleted")', async () => {
    // Prepare
    const tags = [{ key: 'job', value: 'nightly' }];
    local.ecs.setBehavior('report:1', { kind: 'exit', exitCodes: 0, afterMs: 60_000 });
    const stopped = (await run({ tags })).tasks?.[0]?.taskArn ?? '';
    const exiting = (await run({ tags })).tasks?.[0]?.taskArn ?? '';
    await local.clock.advance(30_000);
    // Act
    await ecs.send(new StopTaskCommand({ cluster: 'batch', task: stopped }));
    const whileStopping = await ecs.send(new ListTagsForResourceCommand({ resourceArn: stopped }));
    await local.clock.advance(5 * 60_000);
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: 'batch', tasks: [stopped, exiting], include: ['TAGS'] }),
    );
    const listed = await ecs.send(new ListTagsForResourceCommand({ resourceArn: stopped }));
    // Assess
    expect(whileStopping.tags).toStrictEqual(tags);
    expect(described.tasks?.map((t) => t.lastStatus)).toStrictEqual(['STOPPED', 'STOPPED']);
    expect(described.tasks?.find((t) => t.taskArn === stopped)?.tags ?? []).toStrictEqual([]);
    expect(listed.tags).toStrictEqual([]);
    // A task that exits on its own is not named by the documentation: it keeps its tags.
    expect(described.tasks?.find((t) => t.taskArn === exiting)?.tags).toStrictEqual(tags);
  });

  it('runs bridge-mode EC2 tasks without the awsvpc provisioning states', async () => {
    // Prepare
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'legacy',
        containerDefinitions: [{ name: 'worker', image: 'busybox', memory: 256 }],
      }),
    );
    local.ecs.setBehavior('legacy', { kind: 'exit', afterMs: 1_000, exitCodes: 0 });

    // Act
    const out = await ecs.send(new RunTaskCommand({ cluster: 'batch', taskDefinition: 'legacy' }));
    await local.clock.advance(120_000);

    // Assess
    expect(out.tasks?.[0]).toMatchObject({
      launchType: 'EC2',
      lastStatus: 'PENDING',
      memory: '256',
      cpu: '0',
    });
    const statuses = eventsOf(local, 'ECS Task State Change').map((e) => e.detail.lastStatus);
    expect(statuses).toEqual(['PENDING', 'RUNNING', 'RUNNING', 'STOPPED']);
    const stopped = eventsOf(local, 'ECS Task State Change').at(-1);
    expect(keysOf(stopped?.detail)).toEqual(
      expect.arrayContaining(
        keysOf(fixture('task-stopped-essential-exit0-ec2-runtask-maasglobal.json').detail),
      ),
    );
  });
});
