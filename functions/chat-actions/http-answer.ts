import type { RespondAction } from '#chat/actions/answers.ts';
import { isFunctionUrlRequest } from '#chat/interactions/events.ts';
import type { AnswerContract } from '#kernel/function-definition.ts';

/** A function URL response (payload format 2.0). */
const http = (statusCode: number, body = '') => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
});

/**
 * The HTTP answer to a request to the function URL: the decision's `respond` action (200 to
 * acknowledge the click, 401 for a signature that does not hold, 400 for a signed request with no
 * click), 400 for input that is no request Harbormaster reads, 404 while one-click actions are not
 * configured, 500 when the invocation failed (Slack then shows the person an error). Queued
 * clicks and sweeps keep the usual semantics (an error is retried by Lambda).
 */
const httpAnswer: AnswerContract = {
  applies: isFunctionUrlRequest,
  answer: (_raw, result) => {
    if (result.outcome === 'invalid') return http(400, 'not a request Harbormaster reads');
    const respond = result.actions
      .map((a) => a.action)
      .find((a): a is RespondAction => a.type === 'respond');
    if (respond) return http(respond.status, respond.status === 200 ? '' : respond.reason);
    return result.outcome === 'ignored' ? http(404, result.reason) : http(500, 'failed');
  },
  fallback: () => http(500, 'failed'),
  // Slack waits 3 seconds: an answer is due long before Lambda's timeout.
  reserveMs: 500,
};

export { httpAnswer };
