import type { Severity } from '#kernel/alerts/model.ts';
import { PermanentError, TransientError } from '#kernel/errors.ts';
import { redactSecrets } from '#kernel/secrets.ts';
import { formatSlackMessage } from '../formats/slack.ts';
import type { AlertChannel, DeliveryBudget } from '../ports.ts';

interface SlackOptions {
  webhookUrl: string;
  /** The channel's name: `slack` (alerts.slack) or `webhook:<name>` (alerts.webhooks). */
  name?: string;
  minimumSeverity: Severity;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 3;
// A post is begun only with this much of the invocation left: one cut short by the invocation's
// end may have reached Slack, and could then neither be counted as sent nor safely repeated.
const MIN_POST_MS = 1_000;
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const retryAfterSeconds = (response: Response): number => {
  const header = Number(response.headers.get('retry-after'));
  return Number.isFinite(header) && header >= 0 ? header : 1;
};

/**
 * An alert channel that posts Block Kit messages to a Slack incoming webhook. Honours 429
 * Retry-After and retries 5xx and network errors while the invocation's remaining time allows, and
 * treats other 4xx answers (invalid_payload, channel_not_found, no_service...) as permanent:
 * retrying them cannot help. Its errors never carry the webhook URL (nor the fetch error they came
 * from, whose message may quote it).
 */
const createSlackChannel = (options: SlackOptions): AlertChannel => {
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? wait;
  const post = (body: string, budget: DeliveryBudget): Promise<Response> =>
    fetchImpl(options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(Math.min(options.timeoutMs, budget.remainingMs())),
    });
  // A wait is worth it only if a request still fits in the invocation's time after it; otherwise
  // the invocation fails now and Lambda retries it later.
  const fits = (waitMs: number, budget: DeliveryBudget): boolean =>
    waitMs + options.timeoutMs <= budget.remainingMs();

  return {
    name: options.name ?? 'slack',
    minimumSeverity: options.minimumSeverity,
    send: async (message, budget) => {
      const body = JSON.stringify(formatSlackMessage(message));
      let lastProblem = '';
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        if (budget.remainingMs() < MIN_POST_MS) {
          lastProblem ||= 'no time left in this invocation to post';
          break;
        }
        let response: Response;
        try {
          response = await post(body, budget);
        } catch (error) {
          lastProblem = `request failed: ${redactSecrets((error as Error).message).slice(0, 200)}`;
          if (!fits(250 * 2 ** attempt, budget)) break;
          await sleep(250 * 2 ** attempt);
          continue;
        }
        if (response.ok) return;
        const answer = redactSecrets((await response.text()).slice(0, 200));
        if (response.status === 429) {
          const seconds = retryAfterSeconds(response);
          lastProblem = `rate limited (Retry-After ${seconds} s)`;
          if (!fits(seconds * 1000, budget)) break;
          await sleep(seconds * 1000);
          continue;
        }
        if (response.status < 500) {
          throw new PermanentError(`Slack rejected the message: HTTP ${response.status} ${answer}`);
        }
        lastProblem = `HTTP ${response.status} ${answer}`;
        if (!fits(250 * 2 ** attempt, budget)) break;
        await sleep(250 * 2 ** attempt);
      }
      throw new TransientError(`Slack webhook failed: ${lastProblem}`);
    },
  };
};

export { createSlackChannel, type SlackOptions };
