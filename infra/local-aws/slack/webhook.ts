import { isObject } from '../core/input.ts';
import { blockProblems } from './block-kit.ts';

/** One POST received by the webhook. */
export interface SlackPost {
  at: Date;
  path: string;
  /** The parsed JSON payload (or the raw text when it was not JSON). */
  body: unknown;
  /** HTTP status answered. */
  status: number;
  /** Body answered ("ok" or an error code). */
  response: string;
}

/** A response queued with `respondNext`. */
export interface SlackResponseSpec {
  status: number;
  body?: string;
  retryAfterSeconds?: number;
}

/** The HTTP answer for one webhook POST. */
export interface SlackAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const parsePayload = (raw: string, contentType: string): unknown => {
  const text = contentType.includes('application/x-www-form-urlencoded')
    ? (new URLSearchParams(raw).get('payload') ?? raw)
    : raw;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Validates a payload the way Slack's incoming webhooks do; returns the error code or 'ok'. */
export const validateSlackPayload = (payload: unknown): { status: number; body: string } => {
  if (!isObject(payload)) return { status: 400, body: 'invalid_payload' };
  const { text, blocks, attachments } = payload;
  if (blocks !== undefined) {
    if (blockProblems(blocks).length > 0) {
      return { status: 400, body: 'invalid_blocks' };
    }
  }
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) return { status: 400, body: 'invalid_attachments' };
    if (attachments.length > 100) return { status: 400, body: 'too_many_attachments' };
  }
  const hasText = typeof text === 'string' && text.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return { status: 400, body: 'no_text' };
  return { status: 200, body: 'ok' };
};

/**
 * A Slack incoming-webhook endpoint that records every post (docs.slack.dev/messaging/
 * sending-messages-using-incoming-webhooks): it answers plain `ok`, never a message `ts`.
 */
export class SlackWebhook {
  /** The webhook URL to configure in code under test. */
  readonly webhookUrl: string;
  readonly #posts: SlackPost[] = [];
  readonly #queued: SlackResponseSpec[] = [];

  constructor(baseUrl: string) {
    this.webhookUrl = `${baseUrl}/slack/hooks/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`;
  }

  /** Every post received, oldest first (failed ones included, with their status). */
  get posts(): readonly SlackPost[] {
    return this.#posts;
  }

  /** Payloads Slack accepted (status 200). */
  delivered(): unknown[] {
    return this.#posts.filter((p) => p.status === 200).map((p) => p.body);
  }

  /** Queues answers for the next posts, in order (e.g. a 429 with Retry-After). */
  respondNext(...responses: SlackResponseSpec[]): void {
    this.#queued.push(...responses);
  }

  /** Forgets posts and queued answers. */
  clear(): void {
    this.#posts.length = 0;
    this.#queued.length = 0;
  }

  /** Handles one POST; `forced` is an injected fault's answer. */
  handle(
    path: string,
    raw: string,
    contentType: string,
    at: Date,
    forced?: SlackResponseSpec,
  ): SlackAnswer {
    const payload = parsePayload(raw, contentType);
    const queued = forced ?? this.#queued.shift();
    const answer = queued
      ? {
          status: queued.status,
          body: queued.body ?? (queued.status === 429 ? 'rate_limited' : 'ok'),
        }
      : validateSlackPayload(payload);
    const headers: Record<string, string> = { 'content-type': 'text/html' };
    if (queued?.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(queued.retryAfterSeconds);
    }
    this.#posts.push({
      at,
      path,
      body: payload ?? raw,
      status: answer.status,
      response: answer.body,
    });
    return { status: answer.status, body: answer.body, headers };
  }
}
