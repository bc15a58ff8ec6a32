import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, type SchedulerPayload, startLocalAws } from '../index.ts';
import { clientConfig } from '../testing.ts';

// API reference: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
// (Name and GroupName 1 to 64 characters of [0-9a-zA-Z-_.]; FlexibleTimeWindow required;
// ConflictException 409, ResourceNotFoundException 404, ValidationException 400),
// API_DeleteSchedule.html, API_FlexibleTimeWindow.html (Mode OFF | FLEXIBLE, window 1 to 1440),
// schedule-types.html#one-time (at(yyyy-mm-ddThh:mm:ss) in the schedule's time zone, 60-second
// precision) and managing-schedule-delete.html (ActionAfterCompletion DELETE: a one-time schedule
// is deleted after it has invoked its target once).
describe('EventBridge Scheduler API stand-in (one-time schedules)', () => {
  let local: LocalAws;
  let client: SchedulerClient;
  let invoked: { target: string; payload: SchedulerPayload; at: string }[];
  const ROLE = 'arn:aws:iam::123456789012:role/harbormaster-local-wakeups';
  const FN = 'arn:aws:lambda:us-east-1:123456789012:function:harbormaster-local-deployment-guard';

  beforeEach(async () => {
    local = await startLocalAws({ now: new Date('2026-12-03T10:00:20Z') });
    local.scheduler.createGroup('harbormaster-local-wakeups');
    client = new SchedulerClient(clientConfig(local));
    invoked = [];
    local.scheduler.onInvoke((target, payload) =>
      invoked.push({ target, payload, at: local.clock.now().toISOString() }),
    );
  });
  afterEach(async () => {
    client.destroy();
    await local.close();
  });

  const create = (overrides: Partial<CreateScheduleCommandInput> = {}) =>
    client.send(
      new CreateScheduleCommand({
        Name: 'deployment-guard-20261203T1005',
        GroupName: 'harbormaster-local-wakeups',
        ScheduleExpression: 'at(2026-12-03T10:05:00)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: FN, RoleArn: ROLE },
        ...overrides,
      }),
    );

  it('fires a one-time schedule once at its time, then deletes it (ActionAfterCompletion DELETE)', async () => {
    // Act
    const { ScheduleArn } = await create();
    await local.clock.advance(10 * 60_000);
    // Assess
    expect(ScheduleArn).toBe(
      'arn:aws:scheduler:us-east-1:123456789012:schedule/harbormaster-local-wakeups/deployment-guard-20261203T1005',
    );
    expect(invoked.map((i) => [i.target, i.at, i.payload.time])).toStrictEqual([
      ['harbormaster-local-deployment-guard', '2026-12-03T10:05:00.000Z', '2026-12-03T10:05:00Z'],
    ]);
    const gone = await client
      .send(
        new GetScheduleCommand({
          Name: 'deployment-guard-20261203T1005',
          GroupName: 'harbormaster-local-wakeups',
        }),
      )
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps a one-time schedule without DELETE after it fired', async () => {
    // Act
    await create({ ActionAfterCompletion: 'NONE' });
    await local.clock.advance(10 * 60_000);
    const kept = await client.send(
      new GetScheduleCommand({
        Name: 'deployment-guard-20261203T1005',
        GroupName: 'harbormaster-local-wakeups',
      }),
    );
    // Assess
    expect(invoked).toHaveLength(1);
    expect(kept.ActionAfterCompletion).toBe('NONE');
  });

  it('answers ConflictException for a name already in the group, and keeps the first schedule', async () => {
    // Prepare
    await create();
    // Act
    const second = await create({ ScheduleExpression: 'at(2026-12-03T10:09:00)' }).catch(
      (e: unknown) => e,
    );
    await local.clock.advance(10 * 60_000);
    // Assess
    expect(second).toBeInstanceOf(ConflictException);
    expect((second as ConflictException).$metadata.httpStatusCode).toBe(409);
    expect(invoked.map((i) => i.at)).toStrictEqual(['2026-12-03T10:05:00.000Z']);
  });

  it('deletes a schedule before it fires; deleting it again is ResourceNotFoundException', async () => {
    // Prepare
    await create();
    const target = {
      Name: 'deployment-guard-20261203T1005',
      GroupName: 'harbormaster-local-wakeups',
    };
    // Act
    await client.send(new DeleteScheduleCommand(target));
    const again = await client.send(new DeleteScheduleCommand(target)).catch((e: unknown) => e);
    await local.clock.advance(10 * 60_000);
    // Assess
    expect(again).toBeInstanceOf(ResourceNotFoundException);
    expect(invoked).toHaveLength(0);
  });

  it.each([
    ['a name of 65 characters', { Name: 'a'.repeat(65) }],
    ['a name with a slash', { Name: 'guard/1005' }],
    ['no flexible time window', { FlexibleTimeWindow: undefined }],
    [
      'a FLEXIBLE window without its maximum',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const } },
    ],
    [
      'a window over 1,440 minutes',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const, MaximumWindowInMinutes: 1441 } },
    ],
    ['an at() that is no calendar time', { ScheduleExpression: 'at(2026-02-30T10:05:00)' }],
    ['a role that is no role ARN', { Target: { Arn: FN, RoleArn: 'harbormaster' } }],
  ])('refuses %s with ValidationException', async (_why, overrides) => {
    // Act
    const refused = await create(overrides as Partial<CreateScheduleCommandInput>).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(refused).toBeInstanceOf(ValidationException);
    expect(local.scheduler.schedules()).toHaveLength(0);
  });

  it('accepts a name of 64 characters; a group that does not exist is ResourceNotFoundException', async () => {
    // Act
    const longest = await create({ Name: 'a'.repeat(64) });
    const noGroup = await create({ GroupName: 'nowhere' }).catch((e: unknown) => e);
    // Assess
    expect(longest.ScheduleArn).toMatch(/\/a{64}$/);
    expect(noGroup).toBeInstanceOf(ResourceNotFoundException);
  });
});
