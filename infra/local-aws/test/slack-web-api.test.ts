import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, type SlackApp, type SlackChannel, startLocalAws } from '../index.ts';
import { START } from './harness.ts';

type Json = Record<string, unknown>;

describe('Slack Web API', () => {
  let local: LocalAws;
  let app: SlackApp;
  let deploys: SlackChannel;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    app = local.slack.installApp({ name: 'Harbormaster' });
    deploys = local.slack.createChannel({ name: 'deploys', members: [app] });
  });

  afterEach(async () => {
    await local.close();
  });

  /** A call as a bot would make it: JSON with a bearer token (or a form, when asked). */
  const call = async (
    method: string,
    args: Json,
    options: { token?: string | null; form?: boolean; contentType?: string } = {},
  ): Promise<{ status: number; json: Json; headers: Headers }> => {
    const token = options.token === undefined ? app.botToken : options.token;
    const form = options.form === true;
    const body = form
      ? new URLSearchParams(
          Object.entries(args).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        ).toString()
      : JSON.stringify(args);
    const response = await fetch(`${local.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: {
        'content-type':
          options.contentType ??
          (form ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8'),
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body,
    });
    return {
      status: response.status,
      json: (await response.json()) as Json,
      headers: response.headers,
    };
  };

  const post = (args: Json, options?: Parameters<typeof call>[2]) =>
    call('chat.postMessage', { channel: deploys.id, ...args }, options);

  describe('authentication (docs.slack.dev/authentication/tokens, chat.postMessage errors)', () => {
    it('answers not_authed, invalid_auth and token_revoked with HTTP 200', async () => {
      // Prepare
      const other = local.slack.installApp({ name: 'Old bot' });
      local.slack.revokeToken(other.botToken);

      // Act
      const none = await post({ text: 'hi' }, { token: null });
      const unknown = await post({ text: 'hi' }, { token: 'xoxb-1-2-nope' });
      const revoked = await post({ text: 'hi' }, { token: other.botToken });
      // A JSON body cannot carry the token; a form can.
      const inJson = await call(
        'chat.postMessage',
        { channel: deploys.id, text: 'hi', token: app.botToken },
        { token: null },
      );
      const inForm = await call(
        'chat.postMessage',
        { channel: deploys.id, text: 'hi', token: app.botToken },
        { token: null, form: true },
      );

      // Assess
      expect([none.status, none.json]).toEqual([200, { ok: false, error: 'not_authed' }]);
      expect(unknown.json).toEqual({ ok: false, error: 'invalid_auth' });
      expect(revoked.json).toEqual({ ok: false, error: 'token_revoked' });
      expect(inJson.json.error).toBe('not_authed');
      expect(inForm.json.ok).toBe(true);
    });

    it('answers missing_scope with needed and provided (docs.slack.dev/reference/scopes)', async () => {
      // Prepare
      const reader = local.slack.installApp({ name: 'Reader', scopes: ['channels:history'] });
      local.slack.joinChannel(deploys.id, reader);

      // Act
      const denied = await post({ text: 'hi' }, { token: reader.botToken });

      // Assess
      expect(denied.json).toEqual({
        ok: false,
        error: 'missing_scope',
        needed: 'chat:write',
        provided: 'channels:history',
      });
      expect(denied.headers.get('x-accepted-oauth-scopes')).toBe('chat:write');
    });
  });

  describe('chat.postMessage (docs.slack.dev/reference/methods/chat.postMessage)', () => {
    it('posts, threads replies and broadcasts one; the channel reads as Slack shows it', async () => {
      // Act
      const parent = await post({
        text: 'web: deployment started',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*web* started' } }],
      });
      const parentTs = String(parent.json.ts);
      const reply = await post({ text: '2 tasks failed', thread_ts: parentTs });
      const broadcast = await post({
        text: 'rolled back',
        thread_ts: parentTs,
        reply_broadcast: true,
      });
      await local.clock.advance(1000); // one message a second per channel
      const second = await post({ text: 'api: deployment started' });

      // Assess
      expect(parent.json).toMatchObject({
        ok: true,
        channel: deploys.id,
        ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
        message: {
          type: 'message',
          user: app.botUserId,
          bot_id: app.botId,
          text: 'web: deployment started',
          ts: parentTs,
        },
      });
      expect(reply.json.message).toMatchObject({
        thread_ts: parentTs,
        parent_user_id: app.botUserId,
      });
      expect(broadcast.json.message).toMatchObject({ subtype: 'thread_broadcast' });
      expect(local.slack.history(deploys.id).map((m) => m.text)).toEqual([
        'web: deployment started',
        'rolled back',
        'api: deployment started',
      ]);
      expect(local.slack.thread(deploys.id, parentTs).replies.map((m) => m.text)).toEqual([
        '2 tasks failed',
        'rolled back',
      ]);
      expect(Number(second.json.ts)).toBeGreaterThan(Number(broadcast.json.ts));
    });

    it('refuses unknown, private and archived channels and a channel the bot is not in', async () => {
      // Prepare
      const secret = local.slack.createChannel({ name: 'secret', isPrivate: true });
      const lobby = local.slack.createChannel({ name: 'lobby' });
      const archived = local.slack.createChannel({ name: 'old', members: [app] });
      local.slack.archiveChannel(archived.id);
      const publicPoster = local.slack.installApp({
        name: 'Public',
        scopes: ['chat:write', 'chat:write.public'],
      });

      // Act
      const answers = await Promise.all([
        call('chat.postMessage', { channel: 'C0NOPE', text: 'x' }),
        call('chat.postMessage', { channel: secret.id, text: 'x' }),
        call('chat.postMessage', { channel: lobby.id, text: 'x' }),
        call('chat.postMessage', { channel: archived.id, text: 'x' }),
        call(
          'chat.postMessage',
          { channel: '#lobby', text: 'x' },
          { token: publicPoster.botToken },
        ),
      ]);

      // Assess
      expect(answers.map((a) => a.json.error ?? a.json.channel)).toEqual([
        'channel_not_found',
        'channel_not_found',
        'not_in_channel',
        'is_archived',
        lobby.id,
      ]);
    });

    it('checks content: no_text, msg_too_long, invalid_thread_ts and Block Kit limits with pointers (reference/block-kit)', async () => {
      // Prepare
      const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
      local.slack.rateLimits.disable();

      // Act
      const empty = await post({ text: ' ' });
      const tooLong = await post({ text: 'x'.repeat(4001) });
      const badThread = await post({ text: 'x', thread_ts: '0' });
      const fiftyOne = await post({
        text: 'x',
        blocks: Array.from({ length: 51 }, () => section('a')),
      });
      const longSection = await post({ text: 'x', blocks: [section('a'.repeat(3001))] });
      const longField = await post({
        text: 'x',
        blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }],
      });
      const longHeader = await post({
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      });
      const notJson = await post({ text: 'x', blocks: '[{"type":' }, { form: true });
      const blocksTooLong = await post({
        text: 'x',
        blocks: Array.from({ length: 5 }, () => section('b'.repeat(2500))),
      });

      // Assess
      expect(empty.json.error).toBe('no_text');
      expect(tooLong.json.error).toBe('msg_too_long');
      expect(badThread.json).toMatchObject({
        error: 'invalid_thread_ts',
        response_metadata: { messages: ['[ERROR] 0 is not a valid thread_ts'] },
      });
      expect(fiftyOne.json).toMatchObject({
        error: 'invalid_blocks',
        errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
      });
      expect(longSection.json).toMatchObject({
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
        response_metadata: {
          messages: [
            '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
          ],
        },
      });
      expect(longField.json.errors).toEqual([
        'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
      ]);
      expect(longHeader.json.errors).toEqual([
        'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      ]);
      expect(notJson.json.error).toBe('invalid_blocks_format');
      expect(blocksTooLong.json.error).toBe('msg_blocks_too_long');
      expect(local.slack.history(deploys.id)).toEqual([]);
    });

    it('keeps a reply to a ts that is no message as an orphan nobody sees', async () => {
      // Act
      const orphan = await post({ text: 'lost', thread_ts: '1700000000.000100' });

      // Assess
      expect(orphan.json.ok).toBe(true);
      expect(local.slack.history(deploys.id)).toEqual([]);
      expect(local.slack.orphanReplies(deploys.id).map((m) => m.text)).toEqual(['lost']);
    });

    it('warns missing_charset on JSON without a charset, and answers unknown_method with 404', async () => {
      // Act
      const noCharset = await post({ text: 'x' }, { contentType: 'application/json' });
      const unknown = await call('chat.postMessagez', { text: 'x' });

      // Assess
      expect(noCharset.json).toMatchObject({
        ok: true,
        warning: 'missing_charset',
        response_metadata: { warnings: ['missing_charset'] },
      });
      expect([unknown.status, unknown.json.error]).toEqual([404, 'unknown_method']);
    });
  });

  describe('chat.update (docs.slack.dev/reference/methods/chat.update)', () => {
    it('edits in place, keeps every version and keeps blocks left out', async () => {
      // Prepare
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'status: started' } }];
      const ts = String((await post({ text: 'started', blocks })).json.ts);

      // Act
      const failing = await call('chat.update', {
        channel: deploys.id,
        ts,
        text: 'failing: 2 tasks',
      });
      await call('chat.update', {
        channel: deploys.id,
        ts,
        text: 'rolled back',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'status: rolled back' } }],
      });

      // Assess
      expect(failing.json).toMatchObject({
        ok: true,
        channel: deploys.id,
        ts,
        text: 'failing: 2 tasks',
        message: { edited: { user: app.botUserId } },
      });
      const message = local.slack.message(deploys.id, ts);
      expect(message.versions.map((v) => [v.via, v.text])).toEqual([
        ['chat.postMessage', 'started'],
        ['chat.update', 'failing: 2 tasks'],
        ['chat.update', 'rolled back'],
      ]);
      expect(message.versions[1]?.blocks).toEqual(blocks);
      expect(message).toMatchObject({
        text: 'rolled back',
        edited: true,
        blocks: [{ text: { text: 'status: rolled back' } }],
      });
    });

    it('answers message_not_found and cant_update_message for another app’s message', async () => {
      // Prepare
      const other = local.slack.installApp({ name: 'Other' });
      local.slack.joinChannel(deploys.id, other);
      const ts = String((await post({ text: 'theirs' }, { token: other.botToken })).json.ts);

      // Act
      const missing = await call('chat.update', {
        channel: deploys.id,
        ts: '1700000000.000001',
        text: 'x',
      });
      const notMine = await call('chat.update', { channel: deploys.id, ts, text: 'mine now' });

      // Assess
      expect(missing.json.error).toBe('message_not_found');
      expect(notMine.json.error).toBe('cant_update_message');
      expect(local.slack.message(deploys.id, ts).text).toBe('theirs');
    });
  });

  describe('rate limits (docs.slack.dev/apis/web-api/rate-limits)', () => {
    it('lets about one message per second per channel through, with a short burst, then 429 with Retry-After', async () => {
      // Prepare
      const other = local.slack.createChannel({ name: 'other', members: [app] });

      // Act
      const burst = await Promise.all(Array.from({ length: 4 }, (_, i) => post({ text: `m${i}` })));
      const elsewhere = await call('chat.postMessage', { channel: other.id, text: 'still fine' });
      await local.clock.advance(1000);
      const afterWait = await post({ text: 'after a second' });

      // Assess
      expect(burst.map((b) => b.status)).toEqual([200, 200, 200, 429]);
      expect(burst[3]?.json).toEqual({ ok: false, error: 'ratelimited' });
      expect(burst[3]?.headers.get('retry-after')).toBe('1');
      expect(elsewhere.status).toBe(200);
      expect(afterWait.status).toBe(200);
      expect(local.slack.history(deploys.id).map((m) => m.text)).toEqual([
        'm0',
        'm1',
        'm2',
        'after a second',
      ]);
    });

    it('holds chat.update to Tier 3 (50 a minute) and usergroups.users.list to Tier 2 (20 a minute)', async () => {
      // Prepare
      local.slack.rateLimits.disable();
      const ts = String((await post({ text: 'x' })).json.ts);
      local.slack.rateLimits.disable(false);
      const group = local.slack.createUserGroup({ handle: 'oncall', users: ['U1'] });

      // Act
      const updates = [];
      for (let i = 0; i < 51; i += 1)
        updates.push(await call('chat.update', { channel: deploys.id, ts, text: `v${i}` }));
      const lists = [];
      for (let i = 0; i < 21; i += 1)
        lists.push(await call('usergroups.users.list', { usergroup: group.id }));

      // Assess
      expect(updates.filter((u) => u.status === 429)).toHaveLength(1);
      expect(updates[50]?.headers.get('retry-after')).toBe('2');
      expect(lists.filter((l) => l.status === 429)).toHaveLength(1);
      expect(lists[20]?.headers.get('retry-after')).toBe('3');
    });

    it('answers an injected throttling fault as Slack does', async () => {
      // Prepare
      local.faults.inject({
        service: 'slack',
        operation: 'chat.postMessage',
        error: 'ThrottlingException',
        times: 1,
      });

      // Act
      const limited = await post({ text: 'x' });
      const next = await post({ text: 'y' });

      // Assess
      expect([limited.status, limited.json, limited.headers.get('retry-after')]).toEqual([
        429,
        { ok: false, error: 'ratelimited' },
        '1',
      ]);
      expect(next.status).toBe(200);
      expect(local.calls.list('slack', 'chat.postMessage').map((c) => c.status)).toEqual([
        429, 200,
      ]);
    });
  });

  describe('reading: usergroups.users.list and conversations.replies', () => {
    it('lists a user group’s members and names what is wrong (usergroups.users.list)', async () => {
      // Prepare
      const alice = local.slack.createUser('alice');
      const group = local.slack.createUserGroup({
        handle: 'payments-oncall',
        users: [alice, 'W123A4BC5'],
      });
      const off = local.slack.createUserGroup({ handle: 'old', users: [alice], disabled: true });

      // Act
      const listed = await call('usergroups.users.list', { usergroup: group.id });
      const unknown = await call('usergroups.users.list', { usergroup: 'S0NOPE' });
      const disabled = await call('usergroups.users.list', { usergroup: off.id });
      const included = await call('usergroups.users.list', {
        usergroup: off.id,
        include_disabled: true,
      });
      local.slack.workspace.plan = 'free';
      const free = await call('usergroups.users.list', { usergroup: group.id });

      // Assess
      expect(listed.json).toEqual({ ok: true, users: [alice.id, 'W123A4BC5'] });
      expect(unknown.json.error).toBe('no_such_subteam');
      expect(disabled.json.error).toBe('no_such_subteam');
      expect(included.json.users).toEqual([alice.id]);
      expect(free.json.error).toBe('plan_upgrade_required');
    });

    it('returns a thread parent first, then its replies, a page at a time (conversations.replies)', async () => {
      // Prepare
      const ts = String((await post({ text: 'parent' })).json.ts);
      local.slack.rateLimits.disable();
      for (const text of ['r1', 'r2', 'r3']) await post({ text, thread_ts: ts });

      // Act
      const first = await call('conversations.replies', { channel: deploys.id, ts, limit: 2 });
      const cursor = (first.json.response_metadata as Json).next_cursor;
      const second = await call('conversations.replies', {
        channel: deploys.id,
        ts,
        limit: 2,
        cursor,
      });
      const missing = await call('conversations.replies', {
        channel: deploys.id,
        ts: '1700000000.000001',
      });

      // Assess
      expect((first.json.messages as Json[]).map((m) => m.text)).toEqual(['parent', 'r1']);
      expect(first.json.messages).toMatchObject([
        { reply_count: 3, thread_ts: ts },
        { parent_user_id: app.botUserId },
      ]);
      expect(first.json.has_more).toBe(true);
      expect((second.json.messages as Json[]).map((m) => m.text)).toEqual(['r2', 'r3']);
      expect(second.json.has_more).toBe(false);
      expect(missing.json.error).toBe('thread_not_found');
    });
  });
});
