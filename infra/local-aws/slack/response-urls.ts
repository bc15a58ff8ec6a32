import { randomDigits, randomHex } from '../core/ids.ts';
import { isObject } from '../core/input.ts';
import { blockProblems } from './block-kit.ts';
import { current, type SlackApp, type SlackWorkspace } from './workspace.ts';

/**
 * Interaction `response_url`s (docs.slack.dev/interactivity/handling-user-interaction, "Message
 * responses"; modifying-messages): JSON posted to one can `replace_original`, `delete_original`,
 * post `in_channel` or, by default, an `ephemeral` message only the clicking user sees. Each URL
 * works "up to 5 times within 30 minutes" (reference section 5.2).
 */

/** One POST to a response_url and what Slack answered. */
export interface ResponseUrlPost {
  at: Date;
  url: string;
  body: unknown;
  status: number;
  response: string;
}

/** An ephemeral message: shown to one user in a channel, kept in no history. */
export interface EphemeralMessage {
  at: Date;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
}

interface Issued {
  url: string;
  app: SlackApp;
  channel: string;
  messageTs: string;
  user: string;
  issuedAt: number;
  uses: number;
}

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60_000;

export class ResponseUrls {
  readonly #baseUrl: string;
  readonly #workspace: SlackWorkspace;
  readonly #issued = new Map<string, Issued>();
  /** Every POST to a response_url, oldest first. */
  readonly posts: ResponseUrlPost[] = [];
  /** Ephemeral messages sent through response_urls. */
  readonly ephemerals: EphemeralMessage[] = [];

  constructor(baseUrl: string, workspace: SlackWorkspace) {
    this.#baseUrl = baseUrl;
    this.#workspace = workspace;
  }

  /** A new response_url for an interaction on a message (Slack's form: /actions/T…/digits/secret). */
  issue(app: SlackApp, channel: string, messageTs: string, user: string, now: Date): string {
    const path = `/slack/actions/${this.#workspace.teamId}/${randomDigits(13)}/${randomHex(24)}`;
    const url = `${this.#baseUrl}${path}`;
    this.#issued.set(path, {
      url,
      app,
      channel,
      messageTs,
      user,
      issuedAt: now.getTime(),
      uses: 0,
    });
    return url;
  }

  handle(path: string, raw: string, now: Date): { status: number; body: string } {
    const issued = this.#issued.get(path);
    const reply = (status: number, payload: Record<string, unknown>) => {
      const body = JSON.stringify(payload);
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // kept as text
      }
      this.posts.push({
        at: now,
        url: `${this.#baseUrl}${path}`,
        body: parsed,
        status,
        response: body,
      });
      return { status, body };
    };
    if (issued === undefined) return reply(404, { ok: false, error: 'invalid_url' });
    if (now.getTime() - issued.issuedAt > LIFETIME_MS)
      return reply(404, { ok: false, error: 'expired_url' });
    if (issued.uses >= MAX_USES) return reply(404, { ok: false, error: 'used_url' });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reply(400, { ok: false, error: 'invalid_payload' });
    }
    if (!isObject(body)) return reply(400, { ok: false, error: 'invalid_payload' });
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    if (body.blocks !== undefined && (blocks === undefined || blockProblems(blocks).length > 0))
      return reply(400, { ok: false, error: 'invalid_blocks' });
    const text = typeof body.text === 'string' ? body.text : '';
    const deleting = body.delete_original === true || body.delete_original === 'true';
    if (!deleting && text.trim() === '' && (blocks?.length ?? 0) === 0)
      return reply(400, { ok: false, error: 'no_text' });
    issued.uses += 1;
    const original = this.#workspace.find(issued.channel, issued.messageTs);
    if (deleting || body.replace_original === true || body.replace_original === 'true') {
      if (original === undefined) return reply(404, { ok: false, error: 'message_not_found' });
      if (deleting) original.deleted = true;
      else {
        original.versions.push({
          at: now,
          by: issued.app.botUserId,
          via: 'response_url',
          text: text === '' ? current(original).text : text,
          ...(blocks === undefined ? {} : { blocks }),
        });
        original.edited = { user: issued.app.botUserId, ts: this.#workspace.nextTs(now) };
      }
      return reply(200, { ok: true });
    }
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    if (body.response_type === 'in_channel') {
      this.#workspace.add({
        channel: issued.channel,
        ts: this.#workspace.nextTs(now),
        ...(threadTs === undefined ? {} : { threadTs }),
        user: issued.app.botUserId,
        botId: issued.app.botId,
        appId: issued.app.appId,
        replyBroadcast: false,
        orphan:
          threadTs !== undefined && this.#workspace.find(issued.channel, threadTs) === undefined,
        deleted: false,
        versions: [
          {
            at: now,
            by: issued.app.botUserId,
            via: 'response_url',
            text,
            ...(blocks ? { blocks } : {}),
          },
        ],
      });
    } else {
      this.ephemerals.push({
        at: now,
        channel: issued.channel,
        user: issued.user,
        text,
        ...(blocks === undefined ? {} : { blocks }),
        ...(threadTs === undefined ? {} : { threadTs }),
      });
    }
    return reply(200, { ok: true });
  }
}
