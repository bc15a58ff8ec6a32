import { describe, expect, it } from 'vitest';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { RecordingTelemetry } from '#apps/local/lambda/recording-telemetry.ts';
import { createSlackAppChannel } from '#chat/channel.ts';
import { MemoryChatStore } from '#chat/memory-store.ts';
import { SlackRateLimited, SlackRefused, type SlackWebApi } from '#chat/slack/web-api.ts';
import { flushThread } from '#chat/threads/flush.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';

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

const setup = () => {
  const store = new MemoryChatStore();
  const fake = fakeSlack();
  let now = new Date('2026-11-21T09:00:00Z');
  const telemetry = new RecordingTelemetry();
  const context = {
    store,
    slack: fake.slack,
    format: formatSlackMessage,
    buttons: { interactive: false, snoozeMinutes: [] },
    clock: () => now,
    leaseMs: 30_000,
    telemetry,
  };
  const channel = createSlackAppChannel({ channel: '#deploys', minimumSeverity: 'info' }, context);
  const key = { channel: '#deploys', threadId: 'ecs-prod-web-1' };
  return {
    store,
    fake,
    channel,
    context,
    key,
    telemetry,
    tick: (ms: number): void => {
      now = new Date(now.getTime() + ms);
    },
  };
};

describe('A Slack thread of the Slack app channel', () => {
  it('posts one parent and every alert as a reply; the parent shows the latest alert, whatever the order of arrival', async () => {
    // Prepare
    const { fake, channel, store, key } = setup();
    // Act: "failing" (09:02) arrives before "started" (09:00), and "failing" twice
    await channel.send(message('failing', '2026-11-21T09:02:00.000Z'));
    await channel.send(message('started', '2026-11-21T09:00:00.000Z'));
    await channel.send(message('failing', '2026-11-21T09:02:00.000Z'));
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
    const { fake, channel, store, key, context, tick } = setup();
    await channel.send(message('started', '2026-11-21T09:00:00.000Z'));
    fake.refuse(new SlackRateLimited('chat.postMessage', 30));
    // Act
    await channel.send(message('failing-1', '2026-11-21T09:01:00.000Z'));
    await channel.send(message('failing-2', '2026-11-21T09:01:10.000Z'));
    const held = await store.get(key);
    fake.refuse(undefined);
    tick(30_000);
    const due = await store.due(new Date('2026-11-21T09:00:30Z'), 10);
    const outcome = await flushThread(key, { ...context, holder: 'sweep' });
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

  it('never posts twice what an invocation that died was posting (its lease expired while acting)', async () => {
    // Prepare: a reply queued, and a dead holder that had begun to post it
    const { fake, store, key, context, tick, telemetry } = setup();
    const channel = createSlackAppChannel(
      { channel: '#deploys', minimumSeverity: 'info' },
      context,
    );
    await channel.send(message('started', '2026-11-21T09:00:00.000Z'));
    const record = await store.get(key);
    if (!record) throw new Error('no thread');
    await store.save(
      {
        ...record,
        outbox: [
          { id: 'failing', kind: 'alert', message: message('failing', '2026-11-21T09:01:00.000Z') },
        ],
        revision: record.revision + 1,
        flusher: { holder: 'dead', until: Date.parse('2026-11-21T09:00:30Z'), acting: ['failing'] },
        dueAt: '2026-11-21T09:00:30.000Z',
      },
      record.version,
    );
    // Act: before the lease ends, another invocation finds it busy; after, it takes over
    const busy = await flushThread(key, { ...context, holder: 'other' });
    tick(60_000);
    const taken = await flushThread(key, { ...context, holder: 'other' });
    // Assess
    expect(busy).toBe('busy');
    expect(taken).toBe('posted');
    expect(fake.posts.filter((p) => p.text.includes('failing'))).toStrictEqual([]);
    expect((await store.get(key))?.posted).toContain('failing');
    expect(telemetry.counts.ChatRepliesUncertain).toBe(1);
  });

  it('drops and reports what Slack refuses for good, and tries again with the next alert', async () => {
    // Prepare
    const { fake, channel, store, key } = setup();
    fake.refuse(new SlackRefused('chat.postMessage', 'not_in_channel'));
    // Act
    const refused = await channel
      .send(message('started', '2026-11-21T09:00:00.000Z'))
      .catch((e: Error) => e);
    const after = await store.get(key);
    fake.refuse(undefined);
    await channel.send(message('failing', '2026-11-21T09:01:00.000Z'));
    // Assess
    expect(refused).toBeInstanceOf(SlackRefused);
    expect(after?.refused).toBe('Slack chat.postMessage refused: not_in_channel');
    expect(after?.dueAt).toBeUndefined();
    expect(fake.posts.map((p) => p.text)).toStrictEqual([':warning: failing', ':warning: failing']);
  });
});
