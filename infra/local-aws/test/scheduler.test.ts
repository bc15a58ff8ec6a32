import { RunTaskCommand, ServerException } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, type SchedulerPayload, startLocalAws } from '../index.ts';
import { ecsClient, fargateTaskDefinition, fixture, network } from './harness.ts';

describe('EventBridge Scheduler stand-in', () => {
  let local: LocalAws;
  let invoked: { target: string; payload: SchedulerPayload; at: string }[];

  beforeEach(async () => {
    local = await startLocalAws({ now: new Date('2026-03-28T23:50:00Z') });
    invoked = [];
    local.scheduler.onInvoke((target, payload) =>
      invoked.push({ target, payload, at: local.clock.now().toISOString() }),
    );
  });

  afterEach(async () => local.close());

  const schedule = (
    name: string,
    expression: string,
    timezone = 'UTC',
    state: 'ENABLED' | 'DISABLED' = 'ENABLED',
  ) =>
    local.scheduler.createSchedule({
      name,
      group: 'harbormaster-local',
      expression,
      timezone,
      state,
      target: 'batch-jobs',
    });

  it('invokes its target with the default payload: the real shape, detail the string "{}", the schedule ARN and the scheduled time', async () => {
    // Prepare
    schedule('nightly', 'cron(0 0 * * ? *)');
    // Act
    await local.clock.advance(15 * 60_000);
    // Assess
    expect(invoked).toHaveLength(1);
    const { payload, target, at } = invoked[0] as (typeof invoked)[number];
    expect(target).toBe('batch-jobs');
    expect(at).toBe('2026-03-29T00:00:00.000Z');
    expect(Object.keys(payload).sort()).toStrictEqual(
      Object.keys(fixture('scheduler-default-payload-powertools')).sort(),
    );
    expect(payload).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '123456789012',
      region: 'us-east-1',
      time: '2026-03-29T00:00:00Z',
      resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/harbormaster-local/nightly'],
      detail: '{}',
    });
  });

  it('evaluates cron in the schedule\u2019s time zone and skips a wall time the clock skips', async () => {
    // Prepare: Europe/Berlin skips 02:00-03:00 on 2026-03-29.
    schedule('berlin', 'cron(30 2 * * ? *)', 'Europe/Berlin');
    // Act
    await local.clock.advance(2 * 86_400_000);
    // Assess
    expect(invoked.map((i) => i.payload.time)).toStrictEqual(['2026-03-30T00:30:00Z']);
  });

  it('fires a rate schedule at once, then every period; a disabled schedule never', async () => {
    // Prepare
    schedule('often', 'rate(20 minutes)');
    schedule('off', 'rate(1 minute)', 'UTC', 'DISABLED');
    // Act
    await local.clock.advance(45 * 60_000);
    // Assess
    expect(
      invoked.map((i) => [i.payload.resources[0].split('/').pop(), i.payload.time]),
    ).toStrictEqual([
      ['often', '2026-03-28T23:50:00Z'],
      ['often', '2026-03-29T00:10:00Z'],
      ['often', '2026-03-29T00:30:00Z'],
    ]);
  });

  it('drops, delays or duplicates the next invocations when told to', async () => {
    // Prepare
    schedule('every10', 'cron(0/10 * * * ? *)');
    local.scheduler.drop('every10');
    local.scheduler.delay('every10', 7 * 60_000);
    local.scheduler.duplicate('every10');
    // Act
    await local.clock.advance(35 * 60_000);
    // Assess
    expect(invoked.map((i) => [i.payload.time, i.at])).toStrictEqual([
      ['2026-03-29T00:10:00Z', '2026-03-29T00:17:00.000Z'],
      ['2026-03-29T00:20:00Z', '2026-03-29T00:20:00.000Z'],
      ['2026-03-29T00:20:00Z', '2026-03-29T00:20:00.000Z'],
    ]);
    expect(
      local.scheduler.firings.map((f) => [f.scheduledAt.toISOString(), f.fault, f.delivered]),
    ).toStrictEqual([
      ['2026-03-29T00:00:00.000Z', 'dropped', 0],
      ['2026-03-29T00:10:00.000Z', 'delayed', 1],
      ['2026-03-29T00:20:00.000Z', 'duplicated', 2],
    ]);
  });
});

describe('EventBridge scheduled rules (eb-scheduled-rule-pattern.html)', () => {
  let local: LocalAws;
  afterEach(async () => local.close());

  it('fires a cron rule in UTC and a rate rule every period from its creation', async () => {
    // Prepare
    local = await startLocalAws({ now: new Date('2026-03-28T11:50:00Z') });
    const cron = local.schedules.add('noon', 'cron(0 12 * * ? *)');
    const rate = local.schedules.add('often', 'rate(30 minutes)');
    // Act: a day and a quarter of an hour, to 2026-03-29T12:05Z
    await local.clock.advance(86_400_000 + 15 * 60_000);
    // Assess
    const fired = (arn: string) =>
      local.events.filter((e) => e.resources.includes(arn)).map((e) => e.time);
    expect(fired(cron.arn)).toStrictEqual(['2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z']);
    expect(fired(rate.arn)).toHaveLength(48);
    expect(fired(rate.arn)[0]).toBe('2026-03-28T12:20:00Z');
    expect(() => local.schedules.add('once', 'at(2026-03-30T00:00:00)')).toThrow(
      /rate\(\) or cron\(\)/,
    );
  });
});

describe('Lost responses', () => {
  let local: LocalAws;
  afterEach(async () => local.close());

  it('runs the operation, then answers an error: a retry with the same clientToken gets the first call\u2019s tasks', async () => {
    // Prepare
    local = await startLocalAws({ now: new Date('2026-11-21T10:00:00Z') });
    const ecs = ecsClient(local);
    local.ecs.createCluster('batch');
    local.ecs.registerTaskDefinition(fargateTaskDefinition('report', 'reporter:2.1', true));
    local.faults.inject({
      service: 'ecs',
      operation: 'RunTask',
      error: 'ServerException',
      afterOperation: true,
      times: 1,
    });
    const input = {
      cluster: 'batch',
      taskDefinition: 'report',
      count: 3,
      launchType: 'FARGATE' as const,
      networkConfiguration: network,
      clientToken: 'run-1-chunk-0',
    };
    // Act
    const lost = await ecs.send(new RunTaskCommand(input)).catch((error: unknown) => error);
    const retried = await ecs.send(new RunTaskCommand(input));
    // Assess
    expect(lost).toBeInstanceOf(ServerException);
    expect(local.ecs.tasks()).toHaveLength(3);
    expect(retried.tasks?.map((t) => t.taskArn).sort()).toStrictEqual(
      local.ecs
        .tasks()
        .map((t) => t.arn)
        .sort(),
    );
    ecs.destroy();
  });
});
