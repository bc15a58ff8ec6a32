import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { clientConfig } from '@harbormaster/local-aws/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchedulerWakeups } from '#aws/wakeups/scheduler-wakeups.ts';

describe('Wake-ups as EventBridge Scheduler one-time schedules, on the embedded endpoint', () => {
  let local: LocalAws;
  let client: SchedulerClient;
  let invoked: { target: string; at: string; resource: string }[];
  const GROUP = 'harbormaster-local-wakeups';

  beforeEach(async () => {
    local = await startLocalAws({ now: new Date('2026-11-21T10:00:20Z') });
    local.scheduler.createGroup(GROUP);
    client = new SchedulerClient(clientConfig(local));
    invoked = [];
    local.scheduler.onInvoke((target, payload) =>
      invoked.push({ target, at: local.clock.now().toISOString(), resource: payload.resources[0] }),
    );
  });
  afterEach(async () => {
    client.destroy();
    await local.close();
  });

  const wakeups = (group = GROUP) =>
    createSchedulerWakeups(client, {
      group,
      fn: 'deployment-guard',
      functionArn:
        'arn:aws:lambda:us-east-1:123456789012:function:harbormaster-local-deployment-guard',
      roleArn: 'arn:aws:iam::123456789012:role/harbormaster-local-wakeups',
    });

  it('creates one schedule per minute however often it is asked, fires it once at that minute and leaves nothing behind', async () => {
    // Act: a deadline and a bake end due in the same minute, and a redelivered request.
    const port = wakeups();
    const now = local.clock.now();
    const first = await port.wakeAt(new Date('2026-11-21T10:29:10Z'), now);
    const second = await port.wakeAt(new Date('2026-11-21T10:29:50Z'), now);
    const again = await port.wakeAt(new Date('2026-11-21T10:29:10Z'), now);
    await local.clock.advance(40 * 60_000);
    // Assess
    expect([first.outcome, second.outcome, again.outcome]).toStrictEqual([
      'created',
      'exists',
      'exists',
    ]);
    expect(invoked).toStrictEqual([
      {
        target: 'harbormaster-local-deployment-guard',
        at: '2026-11-21T10:30:00.000Z',
        resource: `arn:aws:scheduler:us-east-1:123456789012:schedule/${GROUP}/deployment-guard-20261121T1030`,
      },
    ]);
    expect(local.scheduler.schedules()).toStrictEqual([]);
    expect(
      local.calls.list('scheduler').map((c) => [c.operation, c.status, c.errorCode]),
    ).toStrictEqual([
      ['CreateSchedule', 200, undefined],
      ['CreateSchedule', 409, 'ConflictException'],
      ['CreateSchedule', 409, 'ConflictException'],
    ]);
  });

  it('cancels an item\u2019s own wake-up before it fires (DeleteSchedule); cancelling it again finds it gone', async () => {
    // Prepare: a deadline at 10:30 and another item's wake-up the same minute.
    const port = wakeups();
    const now = local.clock.now();
    await port.wakeAt(new Date('2026-11-21T10:30:00Z'), now, '0a1b2c3d');
    await port.wakeAt(new Date('2026-11-21T10:30:00Z'), now, 'ffff0000');
    // Act
    const cancelled = await port.cancel(new Date('2026-11-21T10:30:00Z'), '0a1b2c3d');
    const again = await port.cancel(new Date('2026-11-21T10:30:00Z'), '0a1b2c3d');
    await local.clock.advance(40 * 60_000);
    // Assess
    expect([cancelled, again]).toStrictEqual(['deleted', 'gone']);
    expect(invoked.map((i) => i.resource.split('/').pop())).toStrictEqual([
      'deployment-guard-20261121T1030-ffff0000',
    ]);
  });

  it('sets a time already past for the next minute, and fails loudly when the group is missing', async () => {
    // Act
    const late = await wakeups().wakeAt(new Date('2026-11-21T09:00:00Z'), local.clock.now());
    const missing = await wakeups('nowhere')
      .wakeAt(new Date('2026-11-21T10:30:00Z'), local.clock.now())
      .catch((e: unknown) => e);
    await local.clock.advance(2 * 60_000);
    // Assess
    expect(late.minute).toBe('2026-11-21T10:01:00.000Z');
    expect(invoked.map((i) => i.at)).toStrictEqual(['2026-11-21T10:01:00.000Z']);
    expect((missing as Error).name).toBe('ResourceNotFoundException');
  });
});
