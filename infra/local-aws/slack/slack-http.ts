import type { IncomingMessage } from 'node:http';
import type { CallLog } from '../core/call-log.ts';
import type { SimClock } from '../core/clock.ts';
import { type FaultInjector, faultError } from '../core/faults.ts';
import type { IdentityRegistry } from '../core/identity.ts';
import { uuid } from '../core/ids.ts';
import type { RequestThrottle } from '../core/request-throttle.ts';
import type { SlackSink } from './slack-sink.ts';

/** What the Slack routes need from the endpoint. */
export interface SlackHttpDeps {
  slack: SlackSink;
  faults: FaultInjector;
  throttle: RequestThrottle;
  calls: CallLog;
  identities: IdentityRegistry;
  clock: SimClock;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// An injected fault as the Web API answers it: JSON `{"ok": false, "error": ...}`.
const webApiFault = (code: string, status: number): Reply => {
  const error =
    code === 'rate_limited' ? 'ratelimited' : code === 'invalid_token' ? 'invalid_auth' : code;
  return {
    status: status === 403 ? 200 : status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(status === 429 ? { 'retry-after': '1' } : {}),
    },
    body: JSON.stringify({ ok: false, error }),
  };
};

/**
 * Routes `/slack/…`: `/slack/api/<method>` (Web API), `/slack/actions/…` (response_urls) and any
 * other path (the incoming webhook). Injected faults apply to each, by operation: the method name,
 * `response_url` or `webhook`. A lost response (`afterOperation`, `holdResponseMs`) lets the call
 * take effect, then answers the fault or answers late.
 */
export const createSlackHandler = (deps: SlackHttpDeps) => {
  const record = (
    operation: string,
    input: unknown,
    status: number,
    requestId: string,
    error?: string,
  ) =>
    deps.calls.record({
      service: 'slack',
      operation,
      input,
      at: deps.clock.now(),
      receivedAtMs: Date.now(),
      status,
      requestId,
      ...(error === undefined ? {} : { errorCode: error }),
    });

  const webApi = (
    req: IncomingMessage,
    url: URL,
    body: string,
  ): { reply: Reply; input: unknown } => {
    const answer = deps.slack.api.handle({
      method: url.pathname.slice('/slack/api/'.length),
      raw: body,
      contentType: String(req.headers['content-type'] ?? ''),
      authorization: req.headers.authorization,
      query: url.searchParams,
      now: deps.clock.now(),
    });
    return { reply: answer, input: answer.args };
  };

  const responseUrl = (url: URL, body: string): { reply: Reply; input: unknown } => {
    const answer = deps.slack.responseUrls.handle(url.pathname, body, deps.clock.now());
    return {
      reply: { ...answer, headers: { 'content-type': 'application/json; charset=utf-8' } },
      input: deps.slack.responseUrls.posts.at(-1)?.body,
    };
  };

  return async (req: IncomingMessage, body: string): Promise<Reply> => {
    const requestId = uuid();
    const url = new URL(req.url ?? '/', 'http://local');
    const kind = url.pathname.startsWith('/slack/api/')
      ? 'api'
      : url.pathname.startsWith('/slack/actions/')
        ? 'response_url'
        : 'webhook';
    const operation = kind === 'api' ? url.pathname.slice('/slack/api/'.length) : kind;
    const principal = deps.identities.resolve();
    const throttled = deps.throttle.take('slack', operation, body);
    const fault = deps.faults.check('slack', operation, body, principal.arn);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (throttled !== undefined)
      fault.error = faultError('slack', operation, 'ThrottlingException', principal.arn);
    const lost =
      throttled === undefined &&
      (fault.afterOperation === true || fault.holdResponseMs !== undefined);
    if (kind === 'webhook') {
      // The webhook answers a fault in its own plain-text way (`rate_limited`, Retry-After).
      const forced = fault.error && {
        status: fault.error.status,
        body: fault.error.code,
        ...(fault.error.status === 429 ? { retryAfterSeconds: 1 } : {}),
      };
      const delivered = deps.slack.handle(
        req.url ?? '/',
        body,
        String(req.headers['content-type'] ?? ''),
        deps.clock.now(),
        lost ? undefined : forced,
      );
      if (fault.holdResponseMs !== undefined) await sleep(fault.holdResponseMs);
      const answer =
        lost && forced
          ? { status: forced.status, body: forced.body, headers: delivered.headers }
          : delivered;
      const post = deps.slack.posts.at(-1);
      record(
        'webhook',
        post?.body,
        answer.status,
        requestId,
        answer.status === 200 ? undefined : answer.body,
      );
      return answer;
    }
    const faulted = fault.error && webApiFault(fault.error.code, fault.error.status);
    if (faulted && !lost) {
      record(operation, undefined, faulted.status, requestId, JSON.parse(faulted.body).error);
      return faulted;
    }
    const { reply, input } = kind === 'api' ? webApi(req, url, body) : responseUrl(url, body);
    if (fault.holdResponseMs !== undefined) await sleep(fault.holdResponseMs);
    const final = faulted ?? reply;
    const parsed = JSON.parse(final.body) as { ok?: boolean; error?: string };
    record(
      operation,
      input,
      final.status,
      requestId,
      parsed.ok === false ? parsed.error : undefined,
    );
    return final;
  };
};
