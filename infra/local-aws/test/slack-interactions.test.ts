import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  alterOneByte,
  functionUrlEvent,
  type LocalAws,
  type SlackApp,
  type SlackChannel,
  type SlackUser,
  slackSignature,
  startLocalAws,
} from '../index.ts';
import { START } from './harness.ts';

type Json = Record<string, unknown>;

const BUTTONS = [
  {
    type: 'section',
    block_id: 'status',
    text: { type: 'mrkdwn', text: '*web* failing: 2 tasks stopped' },
  },
  {
    type: 'actions',
    block_id: 'deploy-actions',
    elements: [
      {
        type: 'button',
        action_id: 'rollback',
        style: 'danger',
        value: 'prod/web/ecs-svc/1',
        text: { type: 'plain_text', text: 'Roll back now' },
      },
      {
        type: 'button',
        action_id: 'approve',
        style: 'primary',
        value: 'prod/web/ecs-svc/1',
        text: { type: 'plain_text', text: 'Approve' },
      },
    ],
  },
];

describe('Slack interactions', () => {
  let local: LocalAws;
  let app: SlackApp;
  let alice: SlackUser;
  let deploys: SlackChannel;
  let parentTs: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    app = local.slack.installApp();
    alice = local.slack.createUser('alice');
    deploys = local.slack.createChannel({ name: 'deploys', members: [app, alice] });
    const response = await fetch(`${local.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${app.botToken}`,
      },
      body: JSON.stringify({ channel: deploys.id, text: 'web failing', blocks: BUTTONS }),
    });
    parentTs = String(((await response.json()) as Json).ts);
  });

  afterEach(async () => {
    await local.close();
  });

  const click = (actionId = 'rollback', messageTs = parentTs) =>
    local.slack.blockAction({ app, user: alice, channel: deploys.id, messageTs, actionId });

  const respond = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('signs as Slack documents: v0 HMAC-SHA256 over v0:timestamp:body (verifying-requests-from-slack)', () => {
    // The worked example of Slack's "Verifying requests from Slack" page.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('builds the block_actions payload of a button click (reference/interaction-payloads/block_actions-payload)', () => {
    // Act
    const interaction = click();

    // Assess
    const payload = JSON.parse(new URLSearchParams(interaction.body).get('payload') ?? '{}');
    expect(interaction.body.startsWith('payload=%7B%22type%22%3A%22block_actions%22')).toBe(true);
    expect(payload).toStrictEqual(interaction.payload);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: alice.id, username: 'alice', team_id: local.slack.workspace.teamId },
      team: { id: local.slack.workspace.teamId, domain: local.slack.workspace.domain },
      api_app_id: app.appId,
      token: app.verificationToken,
      container: {
        type: 'message',
        message_ts: parentTs,
        channel_id: deploys.id,
        is_ephemeral: false,
      },
      channel: { id: deploys.id, name: 'deploys' },
      message: { ts: parentTs, user: app.botUserId, bot_id: app.botId, blocks: BUTTONS },
      response_url: expect.stringMatching(new RegExp(`^${local.url}/slack/actions/T`)),
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]{32}$/),
      actions: [
        {
          action_id: 'rollback',
          block_id: 'deploy-actions',
          value: 'prod/web/ecs-svc/1',
          style: 'danger',
          type: 'button',
          text: { type: 'plain_text', text: 'Roll back now' },
          action_ts: expect.stringMatching(/^1793610000\.\d{6}$/),
        },
      ],
    });
    expect(() => click('reboot')).toThrow(/no element with action_id reboot/);
  });

  it('puts thread_ts in the container and message of a click in a thread', async () => {
    // Prepare
    const reply = await fetch(`${local.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${app.botToken}`,
      },
      body: JSON.stringify({
        channel: deploys.id,
        thread_ts: parentTs,
        text: 'paused',
        blocks: BUTTONS,
      }),
    });
    const replyTs = String(((await reply.json()) as Json).ts);

    // Act
    const payload = click('approve', replyTs).payload;

    // Assess
    expect(payload).toMatchObject({
      container: { message_ts: replyTs, thread_ts: parentTs },
      message: { ts: replyTs, thread_ts: parentTs },
      actions: [{ action_id: 'approve' }],
    });
  });

  it('signs the raw body with the signing secret, and makes the bad variants a verifier must refuse', () => {
    // Act
    const interaction = click();
    const signed = interaction.signed();
    const wrongSecret = interaction.signed({ secret: 'not-the-secret' });
    const stale = interaction.signed({ timestamp: 1793610000 - 301 });
    const tampered = alterOneByte(signed);
    const unsigned = interaction.unsigned();

    // Assess
    const expected = `v0=${createHmac('sha256', app.signingSecret).update(`v0:1793610000:${signed.body}`).digest('hex')}`;
    expect(signed.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': '1793610000',
      'x-slack-signature': expected,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    });
    expect(wrongSecret.headers['x-slack-signature']).not.toBe(expected);
    expect(stale.headers['x-slack-request-timestamp']).toBe('1793609699');
    expect(stale.headers['x-slack-signature']).toBe(
      slackSignature(app.signingSecret, 1793609699, signed.body),
    );
    expect([...tampered.body].filter((c, i) => c !== signed.body[i])).toHaveLength(1);
    expect(tampered.headers).toStrictEqual(signed.headers);
    expect(JSON.parse(new URLSearchParams(tampered.body).get('payload') ?? '').type).toBe(
      'block_actions',
    );
    expect(unsigned.headers).not.toHaveProperty('x-slack-signature');
    expect(unsigned.headers).not.toHaveProperty('x-slack-request-timestamp');
  });

  it('hands the request to a function URL as Lambda does: form bodies base64-encoded (urls-invocation.html)', () => {
    // Act
    const signed = click().signed();
    const event = functionUrlEvent(signed, { region: 'us-east-1', now: START, urlId: 'abc123' });
    const jsonEvent = functionUrlEvent(
      { headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' },
      { region: 'us-east-1', now: START },
    );

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      isBase64Encoded: true,
      headers: {
        'x-slack-signature': signed.headers['x-slack-signature'],
        host: 'abc123.lambda-url.us-east-1.on.aws',
      },
      requestContext: {
        accountId: 'anonymous',
        domainName: 'abc123.lambda-url.us-east-1.on.aws',
        http: {
          method: 'POST',
          path: '/',
          userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
        },
        time: '02/Nov/2026:09:00:00 +0000',
        timeEpoch: START.getTime(),
      },
    });
    expect(Buffer.from(event.body ?? '', 'base64').toString('utf8')).toBe(signed.body);
    expect([jsonEvent.isBase64Encoded, jsonEvent.body]).toEqual([false, '{"a":1}']);
  });

  describe('response_url (interactivity/handling-user-interaction, modifying-messages)', () => {
    it('replaces the original message, posts ephemeral and in-channel replies, and records each post', async () => {
      // Prepare
      const first = click();
      const second = click('approve');

      // Act
      const replaced = await respond(first.responseUrl, {
        replace_original: true,
        text: 'Rolled back by alice',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Rolled back by <@alice>' } }],
      });
      const ephemeral = await respond(second.responseUrl, {
        response_type: 'ephemeral',
        text: 'already rolled back by alice',
      });
      await respond(second.responseUrl, {
        response_type: 'in_channel',
        thread_ts: parentTs,
        text: 'alice approved',
      });

      // Assess
      expect([replaced.status, await replaced.json()]).toEqual([200, { ok: true }]);
      expect(ephemeral.status).toBe(200);
      const parent = local.slack.message(deploys.id, parentTs);
      expect(parent.versions.map((v) => v.via)).toEqual(['chat.postMessage', 'response_url']);
      expect(parent).toMatchObject({ text: 'Rolled back by alice', edited: true });
      expect(local.slack.ephemerals(deploys.id)).toEqual([
        expect.objectContaining({ user: alice.id, text: 'already rolled back by alice' }),
      ]);
      expect(local.slack.thread(deploys.id, parentTs).replies.map((r) => r.text)).toEqual([
        'alice approved',
      ]);
      expect(local.slack.responseUrls.posts.map((p) => [p.status, (p.body as Json).text])).toEqual([
        [200, 'Rolled back by alice'],
        [200, 'already rolled back by alice'],
        [200, 'alice approved'],
      ]);
    });

    it('works five times within 30 minutes, then answers used_url or expired_url', async () => {
      // Prepare
      const a = click();
      const b = click();

      // Act
      const uses = [];
      for (let i = 0; i < 6; i += 1)
        uses.push((await respond(a.responseUrl, { text: `note ${i}` })).status);
      await local.clock.advance(30 * 60_000 + 1000);
      const late = await respond(b.responseUrl, { text: 'too late' });
      const badBlocks = await respond(click().responseUrl, {
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      });

      // Assess
      expect(uses).toEqual([200, 200, 200, 200, 200, 404]);
      expect(local.slack.responseUrls.posts[5]?.response).toBe('{"ok":false,"error":"used_url"}');
      expect([late.status, await late.json()]).toEqual([404, { ok: false, error: 'expired_url' }]);
      expect(badBlocks.status).toBe(400);
    });
  });
});
