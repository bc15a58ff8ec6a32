import * as v from 'valibot';
import { InvalidEventError } from '#kernel/errors.ts';
import { type EventOfKind, parseEventOf } from '#kernel/events/parse.ts';
import { toFieldIssues } from '#kernel/events/schema-helpers.ts';
import { decodeButton } from '../buttons.ts';
import type { Click } from './click.ts';
import type { RawRequest } from './verify.ts';

/**
 * What the chat-actions function is invoked with: a request to its function URL (Slack's click,
 * payload format 2.0, nothing of its body read yet), a click it queued for itself (SNS), or the
 * one-minute sweep of threads Slack held back (a scheduled event).
 */
type ChatEvent =
  | { kind: 'slack-request'; request: RawRequest; requestId: string; region: string }
  | { kind: 'click'; click: Click; account: string; region: string }
  | { kind: 'sweep'; event: EventOfKind<'scheduled'> };

// Slack's requests are small; a function URL takes at most 6 MB.
const MAX_BODY = 65_536;

const functionUrlSchema = v.object({
  version: v.literal('2.0'),
  headers: v.record(v.string(), v.pipe(v.string(), v.maxLength(8_192))),
  body: v.optional(v.pipe(v.string(), v.maxLength(MAX_BODY))),
  isBase64Encoded: v.boolean(),
  requestContext: v.object({
    requestId: v.pipe(v.string(), v.maxLength(256)),
    domainName: v.pipe(v.string(), v.maxLength(256)),
    http: v.object({ method: v.literal('POST', 'expected POST') }),
  }),
});

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const clickSchema = v.object({
  id: text(256),
  user: v.object({ id: text(32), name: text(256) }),
  team: text(32),
  appId: text(32),
  channelId: text(32),
  messageTs: text(32),
  responseUrl: v.pipe(text(1024), v.url()),
  actionId: text(255),
  value: v.optional(text(2_000)),
  at: text(64),
});

const snsSchema = v.object({
  Records: v.pipe(
    v.array(
      v.object({
        EventSource: v.literal('aws:sns'),
        EventSubscriptionArn: text(1024),
        Sns: v.object({ Message: text(65_536) }),
      }),
    ),
    v.length(1),
  ),
});

const invalid = (issues: v.BaseIssue<unknown>[], what: string) =>
  new InvalidEventError(toFieldIssues(issues, { echo: false }), what);

const isObject = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

/** Whether the invocation is a request to the function URL (which waits for an HTTP answer). */
const isFunctionUrlRequest = (raw: unknown): boolean =>
  isObject(raw) && raw.version === '2.0' && isObject(raw.requestContext);

const parseRequest = (raw: unknown): ChatEvent => {
  const parsed = v.safeParse(functionUrlSchema, raw);
  if (!parsed.success) throw invalid(parsed.issues, 'function URL request');
  const { headers, body, isBase64Encoded, requestContext } = parsed.output;
  const lower = Object.fromEntries(
    Object.entries(headers).map(([k, val]) => [k.toLowerCase(), val]),
  );
  // <url-id>.lambda-url.<region>.on.aws
  const region = /\.lambda-url\.([a-z0-9-]+)\./.exec(requestContext.domainName)?.[1] ?? '';
  return {
    kind: 'slack-request',
    request: { headers: lower, body, isBase64Encoded },
    requestId: requestContext.requestId,
    region,
  };
};

const parseQueued = (raw: unknown): ChatEvent => {
  const parsed = v.safeParse(snsSchema, raw);
  if (!parsed.success) throw invalid(parsed.issues, 'queued click');
  const [record] = parsed.output.Records;
  let message: unknown;
  try {
    message = JSON.parse(record?.Sns.Message ?? '');
  } catch {
    throw new InvalidEventError(
      [{ path: 'Records[0].Sns.Message', message: 'not JSON' }],
      'queued click',
    );
  }
  const click = v.safeParse(v.object({ click: clickSchema }), message);
  if (!click.success) throw invalid(click.issues, 'queued click');
  const c = click.output.click;
  // arn:aws:sns:<region>:<account>:<topic>:<subscription id>
  const [, , , region = '', account = ''] = (record?.EventSubscriptionArn ?? '').split(':');
  return {
    kind: 'click',
    click: {
      ...c,
      value: c.value,
      button: c.value === undefined ? undefined : decodeButton(c.value),
    },
    account,
    region,
  };
};

/** Reads the invocation's input; anything else is bad input (logged, counted, dropped). */
const parseChatEvent = (raw: unknown): ChatEvent => {
  if (isFunctionUrlRequest(raw)) return parseRequest(raw);
  if (isObject(raw) && Array.isArray(raw.Records)) return parseQueued(raw);
  return { kind: 'sweep', event: parseEventOf(raw, ['scheduled']) };
};

export { type ChatEvent, isFunctionUrlRequest, parseChatEvent };
