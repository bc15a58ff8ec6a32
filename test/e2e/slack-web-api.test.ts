import { type LocalAws, type SlackApp, startLocalAws } from '@harbormaster/local-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { RecordingTelemetry } from '#apps/local/lambda/recording-telemetry.ts';
import { createDirectory } from '#chat/interactions/adapters.ts';
import { parentMessage, replyMessages } from '#chat/messages.ts';
import {
  createSlackWebApi,
  SlackRateLimited,
  SlackRefused,
  type SlackWebApi,
} from '#chat/slack/web-api.ts';
import { newThread, type OutboxEntry } from '#chat/threads/record.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';

/**
 * The Slack app's Web API adapter against the embedded Slack, which answers as Slack documents
 * (docs.slack.dev/reference/methods/chat.postMessage, chat.update, usergroups.users.list; rate
 * limits: docs.slack.dev/apis/web-api/rate-limits, HTTP 429 with Retry-After; Block Kit:
 * docs.slack.dev/reference/block-kit/blocks, 50 blocks, and about 12,000 characters of text).
 */

let local: LocalAws;
let app: SlackApp;
let channel: string;
let slept: number[];

const api = (options: { token?: string; maxWaitMs?: number } = {}): SlackWebApi =>
  createSlackWebApi({
    token: options.token ?? app.botToken,
    apiUrl: local.slack.apiUrl,
    timeoutMs: 5_000,
    maxWaitMs: options.maxWaitMs ?? 10_000,
    // Waiting out a Retry-After moves the simulated clock, which refills Slack's buckets.
    sleep: async (ms) => {
      slept.push(ms);
      await local.clock.advance(ms);
    },
  });

beforeEach(async () => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
  app = local.slack.installApp({ name: 'Harbormaster' });
  channel = local.slack.createChannel({ name: 'deploys', members: [app] }).id;
  slept = [];
});
afterEach(async () => local.close());

const message = (id: string, text: string, fields = 1): AlertMessage => ({
  id,
  severity: 'error',
  kind: 'deployment-guard',
  eventType: 'DEPLOYMENT_GUARD_FAILING',
  title: `prod/web ${id}`,
  summary: text,
  fields: Array.from({ length: fields }, (_, i) => ({ label: `Field ${i}`, value: text })),
  details: [text],
  nextSteps: [text],
  links: [],
  threadId: 'ecs-prod-web-1',
  resources: [],
  attributes: { cluster: 'prod', service: 'web' },
  occurredAt: '2026-11-21T09:00:00.000Z',
  actions: [],
});

describe("The Slack app's Web API adapter", () => {
  it('posts a parent and a reply in its thread, and edits the parent in place', async () => {
    // Prepare
    const slack = api();
    // Act
    const parent = await slack.postMessage({ channel, text: 'started', blocks: [] });
    await slack.postMessage({ channel, text: 'failing', blocks: [], threadTs: parent.ts });
    await slack.update({ channel, ts: parent.ts, text: 'rolled back', blocks: [] });
    // Assess
    const thread = local.slack.thread(channel, parent.ts);
    expect(thread.parent.versions.map((v) => v.text)).toStrictEqual(['started', 'rolled back']);
    expect(thread.parent.edited).toBe(true);
    expect(thread.replies.map((r) => r.text)).toStrictEqual(['failing']);
  });

  it('waits out Retry-After within its budget, and past it hands the 429 to the caller', async () => {
    // Prepare: one post a channel every five seconds, no burst
    local.slack.rateLimits.set('chat.postMessage', {
      capacity: 1,
      refillPerSecond: 0.2,
      perChannel: true,
    });
    const patient = api({ maxWaitMs: 10_000 });
    const hurried = api({ maxWaitMs: 0 });
    // Act
    await patient.postMessage({ channel, text: 'one', blocks: [] });
    await patient.postMessage({ channel, text: 'two', blocks: [] });
    const refused = await hurried
      .postMessage({ channel, text: 'three', blocks: [] })
      .catch((e: unknown) => e);
    // Assess
    expect(slept).toStrictEqual([5_000]);
    expect(refused).toBeInstanceOf(SlackRateLimited);
    expect((refused as SlackRateLimited).retryAfterSeconds).toBe(5);
    expect(local.slack.history(channel).map((m) => m.text)).toStrictEqual(['one', 'two']);
    expect(local.slack.rateLimits.refused.get('chat.postMessage')).toBe(2);
  });

  it.each([
    [
      'a public channel the bot has not joined',
      () => ({ channel: local.slack.createChannel({ name: 'elsewhere' }).id }),
      'not_in_channel',
    ],
    ['a channel that does not exist', () => ({ channel: 'C0NOWHERE1' }), 'channel_not_found'],
    [
      'a revoked token',
      () => {
        local.slack.revokeToken(app.botToken);
        return { channel };
      },
      'token_revoked',
    ],
  ])('answers %s with SlackRefused and its code, never retried', async (_what, setup, code) => {
    // Prepare
    const target = setup();
    // Act
    const refused = await api()
      .postMessage({ ...target, text: 'x', blocks: [] })
      .catch((e: unknown) => e);
    // Assess
    expect(refused).toBeInstanceOf(SlackRefused);
    expect((refused as SlackRefused).code).toBe(code);
    expect((refused as Error).message).not.toContain(app.botToken);
    expect(slept).toStrictEqual([]);
  });

  it('refuses to edit a message another app posted (cant_update_message)', async () => {
    // Prepare
    const other = local.slack.installApp({ name: 'Other' });
    local.slack.joinChannel(channel, other);
    const theirs = await api({ token: other.botToken }).postMessage({
      channel,
      text: 'theirs',
      blocks: [],
    });
    // Act
    const refused = await api()
      .update({ channel, ts: theirs.ts, text: 'mine', blocks: [] })
      .catch((e: unknown) => e);
    // Assess
    expect((refused as SlackRefused).code).toBe('cant_update_message');
  });

  it("keeps a thread's parent and merged replies within Block Kit's limits, which Slack enforces", async () => {
    // Prepare: a status with ten 3,000-character fields, five long notes, forty replies held back
    const long = 'x'.repeat(3_000);
    const record = {
      ...newThread(
        { channel, threadId: 'ecs-prod-web-1' },
        message('status', long, 10),
        new Date(),
      ),
      notes: Array.from({ length: 5 }, (_, i) => ({
        id: `n${i}`,
        at: '2026-11-21T09:01:00.000Z',
        text: `Acknowledged by <@U0ALICE001> ${long}`,
      })),
    };
    const held: OutboxEntry[] = Array.from({ length: 40 }, (_, i) => ({
      id: `a${i}`,
      kind: 'alert',
      message: message(`failing-${i}`, long),
    }));
    const slack = api();
    const buttons = { interactive: true, snoozeMinutes: [60] };
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: long } }];
    // Act
    const parent = await slack.postMessage({
      channel,
      ...parentMessage(record, formatSlackMessage, buttons),
    });
    const replies = replyMessages(held, formatSlackMessage);
    for (const reply of replies)
      await slack.postMessage({ channel, threadTs: parent.ts, ...reply.content });
    const control = await slack
      .postMessage({
        channel,
        text: 'x',
        blocks: [...tooLong, ...tooLong, ...tooLong, ...tooLong, ...tooLong],
      })
      .catch((e: unknown) => e);
    // Assess: every entry went out, in as few replies as the limits allow; the control is refused
    expect(replies.flatMap((r) => r.ids)).toStrictEqual(held.map((e) => e.id));
    expect(replies.length).toBeGreaterThan(1);
    expect(replies.length).toBeLessThan(held.length);
    expect(local.slack.thread(channel, parent.ts).replies).toHaveLength(replies.length);
    expect((control as SlackRefused).code).toBe('msg_blocks_too_long');
  });

  it('takes a user group a free workspace cannot read (plan_upgrade_required) as empty', async () => {
    // Prepare
    const bob = local.slack.createUser('bob');
    const group = local.slack.createUserGroup({ handle: 'oncall', users: [bob] });
    const telemetry = new RecordingTelemetry();
    const directory = (slack: SlackWebApi) =>
      createDirectory({
        slack,
        readTags: async () => undefined,
        ttlMs: 0,
        clock: () => local.clock.now(),
        telemetry,
      });
    const paid = await directory(api()).memberOf(bob.id, [group.id]);
    local.slack.workspace.plan = 'free';
    // Act
    const free = await directory(api()).memberOf(bob.id, [group.id]);
    // Assess
    expect(paid).toStrictEqual([group.id]);
    expect(free).toStrictEqual([]);
    expect(telemetry.lines.find((l) => l.level === 'warn')?.extra).toMatchObject({
      group: group.id,
      error: 'Slack usergroups.users.list refused: plan_upgrade_required',
    });
  });
});
