import { describe, expect, it } from 'vitest';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { RecordingTelemetry } from '#apps/local/lambda/recording-telemetry.ts';
import { createSlackAppChannel } from '#chat/channel.ts';
import { MemoryChatStore } from '#chat/memory-store.ts';
import { SlackRateLimited, SlackRefused, type SlackWebApi } from '#chat/slack/web-api.ts';
import { flushThread } from '#chat/threads/flush.ts';
import { replyLeaseKey, threadLeaseKey } from '#chat/threads/posts.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import type { Invocation } from '#kernel/invocation.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';
import { runOnce } from '#kernel/lease/run-once.ts';

const message = (id: string, occurredAt: string, title = id): AlertMessage => ({
  id,
  severity: 'warning',
  kind: 'deployment-guard',
  eventType: 'DEPLOYMENT_GUARD_FAILING',
  title,
  summary: `${title} summary`,
  fields: [],
  details: [],
  nextSteps: [],
  links: [],
  threadId: 'ecs-prod-web-1',
  resources: [],
  attributes: {},
  occurredAt,
  actions: [],
});

/** A Slack that records posts and updates, and refuses as told. */
const fakeSlack = () => {
  const posts: { threadTs?: string | undefined; text: string }[] = [];
  const updates: string[] = [];
  let refuse: Error | undefined;
  let n = 0;
  const slack: SlackWebApi = {
    postMessage: async (m) => {
      if (refuse) throw refuse;
      n += 1;
      posts.push({ threadTs: m.threadTs, text: m.text });
      return { channel: 'C0DEPLOYS1', ts: `1700000000.00000${n}` };
    },
    update: async (m) => {
      if (refuse) throw refuse;
      updates.push(m.text);
    },
    userGroupMembers: async () => [],
    authTest: async () => ({ teamId: 'T0', userId: 'U0' }),
  };
  const refuseWith = (error: Error | undefined): void => {
    refuse = error;
  };
  return { slack, posts, updates, refuse: refuseWith };
};

/** An invocation of its own (a request, one attempt) with 30 seconds left. */
const invocation = (id: string): Invocation => ({
  requestId: id,
  attemptId: `${id}/1`,
  remainingMs: () => 30_000,
});

const setup = () => {
  const store = new MemoryChatStore();
  const leases = new MemoryLeaseStore();
  const fake = fakeSlack();
  let now = new Date('2026-11-21T09:00:00Z');
  const clock = () => now;
  const telemetry = new RecordingTelemetry();
  const context = {
    store,
    slack: fake.slack,
    format: formatSlackMessage,
    buttons: { interactive: false, snoozeMinutes: [] },
    telemetry,
  };
  const channel = createSlackAppChannel({ channel: '#deploys', minimumSeverity: 'info' }, context);
  const key = { channel: '#deploys', threadId: 'ecs-prod-web-1' };
  const once = (id: string = crypto.randomUUID()) => ({
    leases,
    invocation: invocation(id),
    clock,
  });
  return {
    store,
    leases,
    fake,
    key,
    telemetry,
    once,
    /** An alert sent by an invocation of its own. */
    send: (m: AlertMessage) => channel.send(m, { remainingMs: () => 25_000, once: once() }),
    /** What the thread holds, posted by an invocation of its own (the sweep). */
    flush: (id: string = crypto.randomUUID()) => flushThread(key, { ...context, once: once(id) }),
    tick: (ms: number): void => {
      now = new Date(now.getTime() + ms);
    },
  };
};

describe('A Slack thread of the Slack app channel', () => {
  it('posts one parent and every alert as a reply; the parent shows the latest alert, whatever the order of arrival', async () => {
    // Prepare
    const { fake, send, store, key } = setup();
    // Act: "failing" (09:02) arrives before "started" (09:00), and "failing" twice
    await send(message('failing', '2026-11-21T09:02:00.000Z'));
    await send(message('started', '2026-11-21T09:00:00.000Z'));
    await send(message('failing', '2026-11-21T09:02:00.000Z'));
    // Assess
    const record = await store.get(key);
    expect(
      fake.posts.map((p) => [p.threadTs === undefined ? 'parent' : 'reply', p.text]),
    ).toStrictEqual([
      ['parent', ':warning: failing'],
      ['reply', ':warning: failing'],
      ['reply', ':warning: started'],
    ]);
    expect(fake.posts.slice(1).every((p) => p.threadTs === record?.ts)).toBe(true);
    expect(record?.status.id).toBe('failing');
    expect(record?.events).toBe(2);
    expect(record?.outbox).toStrictEqual([]);
  });

  it("queues what Slack's rate limit holds back, then posts it merged: nothing is dropped", async () => {
    // Prepare
    const { fake, send, store, key, flush, tick } = setup();
    await send(message('started', '2026-11-21T09:00:00.000Z'));
    fake.refuse(new SlackRateLimited('chat.postMessage', 30));
    // Act
    await send(message('failing-1', '2026-11-21T09:01:00.000Z'));
    await send(message('failing-2', '2026-11-21T09:01:10.000Z'));
    const held = await store.get(key);
    fake.refuse(undefined);
    tick(30_000);
    const due = await store.due(new Date('2026-11-21T09:00:30Z'), 10);
    const outcome = await flush('sweep');
    // Assess
    expect(held?.outbox.map((e) => (e.kind === 'alert' ? e.message.id : e.id))).toStrictEqual([
      'failing-1',
      'failing-2',
    ]);
    expect(held?.dueAt).toBe('2026-11-21T09:00:30.000Z');
    expect(due).toStrictEqual([key]);
    expect(outcome).toBe('posted');
    expect(fake.posts.map((p) => p.text)).toStrictEqual([
      ':warning: started',
      ':warning: started',
      '2 updates',
    ]);
    expect(fake.updates).toStrictEqual([':warning: failing-2']);
    expect((await store.get(key))?.outbox).toStrictEqual([]);
  });

  it('never posts twice what an attempt that died was posting: its reply lease was acting', async () => {
    // Prepare: a reply queued, and a dead attempt that held the thread and had begun to post it
    const { fake, store, leases, key, send, flush, tick, telemetry } = setup();
    await send(message('started', '2026-11-21T09:00:00.000Z'));
    const record = await store.get(key);
    if (!record) throw new Error('no thread');
    const failing = message('failing', '2026-11-21T09:01:00.000Z');
    const id = `failing@${failing.occurredAt}`;
    await store.save(
      {
        ...record,
        outbox: [{ id, kind: 'alert', message: failing }],
        pending: [id],
        revision: record.revision + 1,
        dueAt: '2026-11-21T09:00:30.000Z',
      },
      record.version,
    );
    const dead = { requestId: 'dead', attemptId: 'dead/1' };
    const until = Date.parse('2026-11-21T09:00:30Z');
    const claim = { holder: dead, now: Date.parse('2026-11-21T09:00:00Z'), until, keepSeconds: 60 };
    await leases.claim({ key: threadLeaseKey(key), ...claim });
    await leases.claim({ key: replyLeaseKey(key, [id]), ...claim, keepSeconds: 24 * 60 * 60 });
    await leases.markActing(replyLeaseKey(key, [id]), dead);
    // Act: before its lease ends, another invocation finds the thread busy; after, it takes over
    const busy = await flush('other');
    tick(60_000);
    const taken = await flush('other');
    // Assess
    expect(busy).toBe('busy');
    expect(taken).toBe('posted');
    expect(fake.posts.filter((p) => p.text.includes('failing'))).toStrictEqual([]);
    const after = await store.get(key);
    expect(after?.posted).toContain(id);
    expect(after?.pending).toBeUndefined();
    expect(telemetry.counts.ChatRepliesUncertain).toBe(1);
    expect(
      await leases.read(threadLeaseKey(key), Date.parse('2026-11-21T09:01:00Z')),
    ).toBeUndefined();
  });

  it('never posts again a reply whose post was done but not yet written into the thread', async () => {
    // Prepare: the post succeeded and its lease is done; the record's write was lost
    const { fake, store, key, send, flush, once } = setup();
    await send(message('started', '2026-11-21T09:00:00.000Z'));
    const record = await store.get(key);
    if (!record) throw new Error('no thread');
    const failing = message('failing', '2026-11-21T09:01:00.000Z');
    const id = `failing@${failing.occurredAt}`;
    await store.save(
      { ...record, outbox: [{ id, kind: 'alert', message: failing }], pending: [id] },
      record.version,
    );
    await runOnce(
      { key: replyLeaseKey(key, [id]), keepSeconds: 60, act: async () => true },
      once('earlier'),
    );
    // Act
    const outcome = await flush('retry');
    // Assess
    expect(outcome).toBe('posted');
    expect(fake.posts.filter((p) => p.text.includes('failing'))).toStrictEqual([]);
    expect((await store.get(key))?.posted).toContain(id);
  });

  it('drops and reports what Slack refuses for good, and tries again with the next alert', async () => {
    // Prepare
    const { fake, send, store, key } = setup();
    fake.refuse(new SlackRefused('chat.postMessage', 'not_in_channel'));
    // Act
    const refused = await send(message('started', '2026-11-21T09:00:00.000Z')).catch(
      (e: Error) => e,
    );
    const after = await store.get(key);
    fake.refuse(undefined);
    await send(message('failing', '2026-11-21T09:01:00.000Z'));
    // Assess
    expect(refused).toBeInstanceOf(SlackRefused);
    expect(after?.refused).toBe('Slack chat.postMessage refused: not_in_channel');
    expect(after?.dueAt).toBeUndefined();
    expect(fake.posts.map((p) => p.text)).toStrictEqual([':warning: failing', ':warning: failing']);
  });
});
