import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing (docs.slack.dev/authentication/verifying-requests-from-slack): Slack
 * sends `X-Slack-Request-Timestamp` (Unix seconds) and `X-Slack-Signature: v0=<hex>`, the
 * HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the app's signing secret. The check runs
 * on the raw bytes of the body as the function URL delivered them (base64-decoded, never
 * URL-decoded or parsed first), refuses timestamps more than five minutes from now (a replayed
 * request), and compares in constant time.
 */

/** What a function URL hands over: lowercase headers, the body and whether it is base64. */
interface RawRequest {
  headers: Readonly<Record<string, string | undefined>>;
  body: string | undefined;
  isBase64Encoded: boolean;
}

type Verification =
  | { ok: true; body: string }
  | {
      ok: false;
      problem: 'missing signature' | 'malformed signature' | 'stale timestamp' | 'wrong signature';
    };

const REPLAY_WINDOW_SECONDS = 5 * 60;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** Whether the request is Slack's, signed with `secret` within five minutes of `now`. */
const verifySlackRequest = (request: RawRequest, secret: string, now: Date): Verification => {
  const signature = request.headers['x-slack-signature'];
  const timestamp = request.headers['x-slack-request-timestamp'];
  if (signature === undefined || timestamp === undefined)
    return { ok: false, problem: 'missing signature' };
  if (!SIGNATURE.test(signature) || !TIMESTAMP.test(timestamp))
    return { ok: false, problem: 'malformed signature' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > REPLAY_WINDOW_SECONDS)
    return { ok: false, problem: 'stale timestamp' };
  const raw = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8');
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'wrong signature' };
  return { ok: true, body: raw.toString('utf8') };
};

export { type RawRequest, type Verification, verifySlackRequest };
