import { afterEach, describe, expect, it } from 'vitest';
import { startChatStack } from '#support/chat-stack.ts';

/**
 * One-click actions end to end: the Slack app's threads on the embedded workspace, signed clicks
 * (docs.slack.dev/authentication/verifying-requests-from-slack, …/reference/interaction-payloads/
 * block_actions-payload) sent to the chat-actions function as its function URL delivers them
 * (urls-invocation.html, payload format 2.0), the work done by its queued invocation.
 */

type Chat = Awaited<ReturnType<typeof startChatStack>>;
let chat: Chat | undefined;
afterEach(async () => chat?.stack.close());

const textOf = (message: { blocks?: unknown[]; text: string }): string =>
  JSON.stringify(message.blocks ?? message.text);
const buttonsOf = (message: { blocks?: unknown[] }): string[] =>
  (message.blocks ?? []).flatMap((b) => {
    const block = b as { type: string; elements?: { action_id?: string }[] };
    return block.type === 'actions' ? (block.elements ?? []).map((e) => e.action_id ?? '') : [];
  });

/** A failing deployment in notify mode: its thread offers Roll back now. */
const failingDeployment = async (c: Chat) => {
  c.deploy({ kind: 'crash', afterMs: 8_000, exitCode: 1 });
  await c.elapse(3);
  const parent = c.parents().at(-1);
  if (!parent) throw new Error('no thread was posted');
  return parent;
};

const deploymentsOf = (c: Chat) =>
  (c.local.ecs.service('prod', 'web')?.deployments ?? []).map((d) => d.status);

describe('Chat operations: one thread per deployment, one-click rollback', () => {
  it('keeps one parent per deployment, edited in place, with every event as a reply in its thread', async () => {
    // Prepare
    chat = await startChatStack();
    // Act
    await failingDeployment(chat);
    // Assess: one parent for the deployment; its versions follow the deployment
    const threads = chat
      .parents()
      .filter((p) => p.text.includes('web:2') || textOf(p).includes('web:2'));
    const parent = chat.parents().at(-1);
    if (!parent) throw new Error('no thread');
    const thread = chat.local.slack.thread(chat.crew.channel, parent.ts);
    expect(threads).toStrictEqual([parent]);
    expect(thread.replies.map((r) => r.text)).toStrictEqual([
      ':information_source: prod/web deployment started',
      ':warning: prod/web deployment failing: 1 task failed',
      ':red_circle: prod/web would roll back to web:1 (failed tasks, notify only)',
    ]);
    const headers = parent.versions.map(
      (v) => (v.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text,
    );
    expect(headers[0]).toBe(':information_source: prod/web deployment started');
    expect(headers.at(-1)).toBe(
      ':red_circle: prod/web would roll back to web:1 (failed tasks, notify only)',
    );
    expect(parent.edited).toBe(true);
    expect(buttonsOf(parent)).toStrictEqual(['harbormaster.rollback', 'harbormaster.acknowledge']);
    expect(chat.local.slack.orphanReplies(chat.crew.channel)).toStrictEqual([]);
  }, 60_000);

  it('rolls back once when an allowed person presses Roll back now, and tells a second click and a second person who did it', async () => {
    // Prepare
    chat = await startChatStack();
    const parent = await failingDeployment(chat);
    const { alice, bob } = chat.crew;
    // Act: alice double-clicks, bob (on call, through his user group) clicks too, all before the
    // message changed
    const clicks = [alice, alice, bob].map((who) =>
      chat?.click(who, parent.ts, 'harbormaster.rollback').signed(),
    );
    const answers = [];
    for (const request of clicks) if (request) answers.push(await chat.send(request));
    await chat.elapse(2);
    // Assess
    expect(answers.map((a) => a.statusCode)).toStrictEqual([200, 200, 200]);
    const updates = chat.local.calls.list('ecs', 'UpdateService', 'chat-actions');
    expect(updates).toHaveLength(1);
    expect(chat.toldTo(alice)).toStrictEqual([
      `Already rolled back by <@${alice.id}> at 09:08 UTC.`,
    ]);
    expect(chat.toldTo(bob)).toStrictEqual([`Already rolled back by <@${alice.id}> at 09:08 UTC.`]);
    const thread = chat.local.slack.thread(chat.crew.channel, parent.ts);
    const rolledBack = `Rolled back to web:1 by <@${alice.id}> at 09:08 UTC`;
    expect(thread.replies.filter((r) => r.text.startsWith(rolledBack))).toHaveLength(1);
    expect(textOf(thread.parent)).toContain(rolledBack);
    expect(buttonsOf(thread.parent)).not.toContain('harbormaster.rollback');
    // The guard recognises the person's rollback as a rollback and reports it in the same thread.
    expect(thread.replies.at(-1)?.text).toBe(
      ':information_source: prod/web rollback completed: back on web:1',
    );
    expect(deploymentsOf(chat)).toStrictEqual(['PRIMARY']);
    // Who, what and when, in the log too.
    const carriedOut = chat.stack.lambda.telemetry['chat-actions']?.lines.filter(
      (l) => l.message === 'Chat action carried out',
    );
    expect(carriedOut?.map((l) => l.extra)).toStrictEqual([
      {
        action: 'rollback',
        user: alice.id,
        service: 'prod/web',
        deploymentId: expect.stringMatching(/^ecs-svc\/\d+$/),
        to: expect.stringMatching(/web:1$/),
        at: expect.stringMatching(/^2026-11-21T09:08:/),
      },
    ]);
  }, 60_000);

  it('refuses an unsigned request with 401, counts it, and does nothing', async () => {
    // Prepare
    chat = await startChatStack();
    const parent = await failingDeployment(chat);
    const click = chat.click(chat.crew.alice, parent.ts, 'harbormaster.rollback');
    // Act
    const unsigned = await chat.send(click.unsigned());
    const forged = await chat.send(click.signed({ secret: 'f'.repeat(32) }));
    const replayed = await chat.send(
      click.signed({ timestamp: Math.floor(chat.local.clock.now().getTime() / 1000) - 301 }),
    );
    await chat.elapse(1);
    // Assess
    expect([unsigned.statusCode, forged.statusCode, replayed.statusCode]).toStrictEqual([
      401, 401, 401,
    ]);
    expect(unsigned.body).toBe('missing signature');
    expect(chat.stack.lambda.telemetry['chat-actions']?.counts.SlackRequestsRefused).toBe(3);
    expect(chat.local.calls.list('ecs', 'UpdateService', 'chat-actions')).toStrictEqual([]);
    expect(chat.local.slack.responseUrls.posts).toStrictEqual([]);
  }, 60_000);

  it('tells someone no permission lets press the button "not allowed", and logs the attempt', async () => {
    // Prepare
    chat = await startChatStack();
    const parent = await failingDeployment(chat);
    const { mallory } = chat.crew;
    // Act
    const answer = await chat.send(
      chat.click(mallory, parent.ts, 'harbormaster.rollback').signed(),
    );
    await chat.elapse(1);
    // Assess
    expect(answer.statusCode).toBe(200);
    expect(chat.toldTo(mallory)).toStrictEqual([
      "Not allowed: you may not roll back prod/web. Ask for it in chat.permissions or the service's harbormaster:chat-operators tag.",
    ]);
    const decided = chat.stack.lambda.telemetry['chat-actions']?.lines.find(
      (l) => l.message === 'Decided' && String(l.extra.reason).startsWith('not allowed'),
    );
    expect(decided?.extra.reason).toBe(`not allowed: ${mallory.id} may not rollback prod/web`);
    expect(chat.local.calls.list('ecs', 'UpdateService', 'chat-actions')).toStrictEqual([]);
  }, 60_000);

  it('says why a click after the deployment ended did nothing', async () => {
    // Prepare: someone deploys v3 over the failing v2
    chat = await startChatStack();
    const parent = await failingDeployment(chat);
    chat.deploy(undefined);
    await chat.elapse(1);
    // Act
    await chat.send(chat.click(chat.crew.alice, parent.ts, 'harbormaster.rollback').signed());
    // Assess
    const [told] = chat.toldTo(chat.crew.alice);
    expect(told).toMatch(
      /^Deployment ecs-svc\/\d+ has ended: the service now runs deployment ecs-svc\/\d+ \(web:3, since 09:08 UTC\)\. Nothing was rolled back\.$/,
    );
    expect(chat.local.calls.list('ecs', 'UpdateService', 'chat-actions')).toStrictEqual([]);
  }, 60_000);

  it('acknowledges an error once, and tells the next one who did', async () => {
    // Prepare
    chat = await startChatStack();
    const parent = await failingDeployment(chat);
    const { alice, bob } = chat.crew;
    const byBob = chat.click(bob, parent.ts, 'harbormaster.acknowledge').signed();
    const byAlice = chat.click(alice, parent.ts, 'harbormaster.acknowledge').signed();
    // Act
    await chat.send(byBob);
    await chat.send(byAlice);
    // Assess
    const thread = chat.local.slack.thread(chat.crew.channel, parent.ts);
    expect(textOf(thread.parent)).toContain(`Acknowledged by <@${bob.id}> at 09:08 UTC`);
    expect(buttonsOf(thread.parent)).toStrictEqual(['harbormaster.rollback']);
    expect(thread.replies.at(-1)?.text).toBe(`Acknowledged by <@${bob.id}> at 09:08 UTC`);
    expect(chat.toldTo(alice)).toStrictEqual([
      `Already acknowledged by <@${bob.id}> at 09:08 UTC.`,
    ]);
  }, 60_000);
});

describe('Chat operations: snoozing a repeating service alert', () => {
  it('silences the alert for the service for the time chosen, recorded with who asked', async () => {
    // Prepare: ECS cannot place the service's tasks and says so again and again
    chat = await startChatStack({
      config: () => ({
        alerts: {
          sns: { enabled: false },
          slackApp: { botTokenParameter: '/harbormaster/slack-bot-token', channel: '#deploys' },
          dedupWindowMinutes: 0,
        },
      }),
    });
    chat.local.ecs.setCapacity('prod', { maxRunningTasks: 2, reason: 'RESOURCE:FARGATE' });
    chat.local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', desiredCount: 4 });
    await chat.elapse(10);
    const parent = chat.parents().find((p) => p.text.includes('cannot place tasks'));
    if (!parent)
      throw new Error(`no thread for the placement failure: ${chat.parents().map((p) => p.text)}`);
    const before = chat.local.slack.thread(chat.crew.channel, parent.ts).replies.length;
    // Act
    await chat.send(chat.click(chat.crew.alice, parent.ts, 'harbormaster.snooze.60').signed());
    await chat.elapse(30);
    const during = chat.local.slack.thread(chat.crew.channel, parent.ts).replies;
    await chat.elapse(45);
    const after = chat.local.slack.thread(chat.crew.channel, parent.ts).replies;
    // Assess
    const note = `SERVICE_TASK_PLACEMENT_FAILURE snoozed by <@${chat.crew.alice.id}> until`;
    expect(before).toBeGreaterThan(1);
    expect(during.slice(before).map((r) => r.text)).toStrictEqual([expect.stringContaining(note)]);
    expect(after.length).toBeGreaterThan(during.length);
    expect(chat.stack.lambda.telemetry['service-alerts']?.counts.AlertsSnoozed).toBeGreaterThan(0);
  }, 60_000);
});

describe("Chat operations: Slack's rate limit", () => {
  it('queues what Slack answers 429 to and posts it with the next sweep, merged: no event is dropped', async () => {
    // Prepare: one message per channel a minute, no burst (docs.slack.dev/apis/web-api/
    // rate-limits: chat.postMessage "one message per second per channel", short bursts: tighter)
    chat = await startChatStack({
      config: () => ({
        alerts: {
          sns: { enabled: false },
          slackApp: {
            botTokenParameter: '/harbormaster/slack-bot-token',
            channel: '#deploys',
            maxRetryAfterSeconds: 0,
          },
        },
      }),
    });
    chat.local.slack.rateLimits.set('chat.postMessage', {
      capacity: 1,
      refillPerSecond: 1 / 60,
      perChannel: true,
    });
    // Act
    chat.deploy({ kind: 'crash', afterMs: 8_000, exitCode: 1 });
    await chat.elapse(3);
    const held = chat.stack.lambda.telemetry['deployment-guard']?.counts.ChatRepliesQueued ?? 0;
    await chat.elapse(5);
    // Assess
    const parent = chat.parents().at(-1);
    if (!parent) throw new Error('no thread');
    const replies = chat.local.slack.thread(chat.crew.channel, parent.ts).replies.map(textOf);
    expect(chat.local.slack.rateLimits.refused.get('chat.postMessage')).toBeGreaterThan(0);
    expect(held).toBeGreaterThan(0);
    for (const event of [
      'prod/web deployment started',
      'prod/web deployment failing: 1 task failed',
      'prod/web would roll back to web:1 (failed tasks, notify only)',
    ])
      expect(
        replies.filter((r) => r.includes(event)),
        event,
      ).toHaveLength(1);
    const swept = chat.stack.lambda.invocations.filter(
      (i) =>
        i.function === 'chat-actions' && i.result?.actions.some((a) => a.type === 'flush-thread'),
    );
    expect(swept.length).toBeGreaterThan(0);
  }, 60_000);
});
