import { postMessage, updateMessage } from './chat-methods.ts';
import { type Args, parseArgs, SlackApiError, type SlackMethod, str } from './method-args.ts';
import type { SlackRateLimits } from './rate-limits.ts';
import { authTest, conversationReplies, userGroupUsers } from './read-methods.ts';
import type { SlackApp, SlackWorkspace } from './workspace.ts';

/** The HTTP answer to one Web API call. */
export interface SlackApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The arguments (token left out) and error code, for the call log. */
  args: Args;
  error?: string;
}

/** An HTTP request to `…/slack/api/<method>`. */
export interface SlackApiRequest {
  method: string;
  raw: string;
  contentType: string;
  authorization: string | undefined;
  query: URLSearchParams;
  now: Date;
}

const METHODS: Record<string, SlackMethod> = {
  'chat.postMessage': postMessage,
  'chat.update': updateMessage,
  'conversations.replies': conversationReplies,
  'usergroups.users.list': userGroupUsers,
  'auth.test': authTest,
};

const answer = (
  status: number,
  payload: Record<string, unknown>,
  args: Args,
  extraHeaders: Record<string, string> = {},
): SlackApiAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders },
  body: JSON.stringify(payload),
  args,
  ...(payload.ok === false ? { error: String(payload.error) } : {}),
});

const withoutToken = (args: Args): Args => {
  const { token: _token, ...rest } = args;
  return rest;
};

/**
 * The Slack Web API (docs.slack.dev/apis/web-api): HTTP 200 with `{"ok": true, ...}` or
 * `{"ok": false, "error": code}`, HTTP 429 with Retry-After when rate limited, 404
 * `unknown_method`. A bot token in `Authorization: Bearer` (or a form's `token`): none is
 * `not_authed`, an unknown one `invalid_auth`, a revoked one `token_revoked`; a missing scope is
 * `missing_scope` with `needed` and `provided`.
 */
export class SlackWebApi {
  readonly #workspace: SlackWorkspace;
  readonly #limits: SlackRateLimits;

  constructor(workspace: SlackWorkspace, limits: SlackRateLimits) {
    this.#workspace = workspace;
    this.#limits = limits;
  }

  handle(request: SlackApiRequest): SlackApiAnswer {
    const method = METHODS[request.method];
    if (method === undefined)
      return answer(404, { ok: false, error: 'unknown_method', req_method: request.method }, {});
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(request.raw, request.contentType, request.query);
    } catch (error) {
      if (error instanceof SlackApiError) return answer(200, { ok: false, error: error.code }, {});
      throw error;
    }
    const args = withoutToken(parsed.args);
    const warnings =
      parsed.warnings.length > 0
        ? { warning: parsed.warnings.join(','), response_metadata: { warnings: parsed.warnings } }
        : {};
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1];
    const token = bearer ?? parsed.bodyToken;
    if (token === undefined)
      return answer(200, { ok: false, error: 'not_authed', ...warnings }, args);
    if (this.#workspace.revokedTokens.has(token))
      return answer(200, { ok: false, error: 'token_revoked', ...warnings }, args);
    const app = this.#workspace.apps.get(token);
    if (app === undefined)
      return answer(200, { ok: false, error: 'invalid_auth', ...warnings }, args);
    const scopes = { 'x-oauth-scopes': app.scopes.join(',') };
    const ctx = { workspace: this.#workspace, app, args, now: request.now };
    const needed = method.scope(ctx);
    if (needed !== undefined && !app.scopes.includes(needed))
      return answer(
        200,
        { ok: false, error: 'missing_scope', needed, provided: app.scopes.join(','), ...warnings },
        args,
        { ...scopes, 'x-accepted-oauth-scopes': needed },
      );
    const wait = this.#limits.take(request.method, app.appId, this.#channelKey(app, args));
    if (wait > 0)
      return answer(429, { ok: false, error: 'ratelimited' }, args, {
        ...scopes,
        'retry-after': String(wait),
      });
    const accepted: Record<string, string> =
      needed === undefined ? {} : { 'x-accepted-oauth-scopes': needed };
    try {
      const result = method.run(ctx);
      return answer(200, { ok: true, ...result, ...warnings }, args, { ...scopes, ...accepted });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return answer(200, { ok: false, error: error.code, ...error.extra, ...warnings }, args, {
        ...scopes,
        ...accepted,
      });
    }
  }

  // chat.postMessage's limit is per channel: the channel's ID whatever name the call used.
  #channelKey(_app: SlackApp, args: Args): string | undefined {
    const ref = str(args, 'channel');
    return ref === undefined ? undefined : (this.#workspace.findChannel(ref)?.id ?? ref);
  }
}
