import { PermanentError, TransientError } from '#kernel/errors.ts';

/**
 * The Slack Web API methods Harbormaster calls with its bot token (docs.slack.dev/reference/
 * methods): chat.postMessage, chat.update, usergroups.users.list and auth.test. Errors are sorted
 * by whether a retry can help: HTTP 429 carries Retry-After, which is waited out while the
 * caller's budget allows and otherwise surfaces as SlackRateLimited (the caller queues the
 * message); 5xx answers and network errors are retried, then transient; every `ok: false` error
 * (invalid_auth, channel_not_found, invalid_blocks...) is permanent. No error carries the token.
 */

interface PostedMessage {
  channel: string;
  ts: string;
}

interface MessageContent {
  channel: string;
  text: string;
  blocks: readonly unknown[];
}

interface SlackWebApi {
  postMessage(message: MessageContent & { threadTs?: string | undefined }): Promise<PostedMessage>;
  update(message: MessageContent & { ts: string }): Promise<void>;
  /** The members of a user group (usergroups.users.list). */
  userGroupMembers(group: string): Promise<string[]>;
  /** Who the token is: its workspace (team) and bot user. */
  authTest(): Promise<{ teamId: string; userId: string }>;
}

/** Slack refused the call for now: try again after `retryAfterSeconds`. */
class SlackRateLimited extends TransientError {
  public readonly retryAfterSeconds: number;

  public constructor(method: string, retryAfterSeconds: number) {
    super(`Slack ${method}: rate limited (Retry-After ${retryAfterSeconds} s)`);
    this.name = 'SlackRateLimited';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Slack answered `ok: false`: the same call fails the same way again. */
class SlackRefused extends PermanentError {
  public readonly code: string;

  public constructor(method: string, code: string) {
    super(`Slack ${method} refused: ${code}`);
    this.name = 'SlackRefused';
    this.code = code;
  }
}

interface SlackWebApiOptions {
  token: string;
  /** https://slack.com/api/ (the local endpoint's apiUrl locally). */
  apiUrl: string;
  timeoutMs: number;
  /** The longest Retry-After (or backoff) one call may wait out before giving up for now. */
  maxWaitMs: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 3;
// Slack's own transient errors, answered with ok: false (docs.slack.dev/apis/web-api, "Errors").
const TRANSIENT_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const retryAfter = (response: Response): number => {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : 1;
};

const createSlackWebApi = (options: SlackWebApiOptions): SlackWebApi => {
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? wait;

  const call = async (method: string, body: Record<string, unknown>): Promise<unknown> => {
    let waited = 0;
    let problem = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      let response: Response;
      try {
        response = await fetchImpl(`${options.apiUrl}${method}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json; charset=utf-8',
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        // The message may quote the URL, never the token (it travels in a header).
        problem = `request failed: ${(error as Error).message.slice(0, 200)}`;
        const backoff = 250 * 2 ** attempt;
        if (waited + backoff > options.maxWaitMs) break;
        waited += backoff;
        await sleep(backoff);
        continue;
      }
      if (response.status === 429) {
        const seconds = retryAfter(response);
        await response.body?.cancel();
        if (waited + seconds * 1000 > options.maxWaitMs || attempt === MAX_ATTEMPTS)
          throw new SlackRateLimited(method, seconds);
        waited += seconds * 1000;
        await sleep(seconds * 1000);
        continue;
      }
      if (response.status >= 500) {
        problem = `HTTP ${response.status}`;
        await response.body?.cancel();
        const backoff = 250 * 2 ** attempt;
        if (waited + backoff > options.maxWaitMs) break;
        waited += backoff;
        await sleep(backoff);
        continue;
      }
      const answer = (await response.json().catch(() => undefined)) as
        | { ok?: boolean; error?: string }
        | undefined;
      if (answer?.ok === true) return answer;
      const code = String(answer?.error ?? `HTTP ${response.status}`).slice(0, 100);
      if (TRANSIENT_CODES.has(code)) {
        problem = code;
        continue;
      }
      throw new SlackRefused(method, code);
    }
    throw new TransientError(`Slack ${method} failed: ${problem}`);
  };

  return {
    postMessage: async (message) => {
      const answer = (await call('chat.postMessage', {
        channel: message.channel,
        text: message.text,
        blocks: message.blocks,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        // Event text is escaped, and Harbormaster's own mentions are written as <@U...>.
        unfurl_links: false,
        unfurl_media: false,
      })) as { channel: string; ts: string };
      return { channel: answer.channel, ts: answer.ts };
    },
    update: async (message) => {
      await call('chat.update', {
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        blocks: message.blocks,
      });
    },
    userGroupMembers: async (group) => {
      const answer = (await call('usergroups.users.list', { usergroup: group })) as {
        users?: string[];
      };
      return answer.users ?? [];
    },
    authTest: async () => {
      const answer = (await call('auth.test', {})) as { team_id: string; user_id: string };
      return { teamId: answer.team_id, userId: answer.user_id };
    },
  };
};

export {
  createSlackWebApi,
  type MessageContent,
  type PostedMessage,
  SlackRateLimited,
  SlackRefused,
  type SlackWebApi,
  type SlackWebApiOptions,
};
