import { describe, expect, it } from 'vitest';
import { verifySlackRequest } from '#chat/interactions/verify.ts';

/**
 * docs.slack.dev/authentication/verifying-requests-from-slack: `v0=` + hex(HMAC-SHA256(signing
 * secret, `v0:<timestamp>:<raw body>`)); requests more than five minutes old are refused.
 */

// The worked example of Slack's "Verifying requests from Slack" page.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const at = (seconds: number) => new Date(seconds * 1000);
const headers = (signature = SIGNATURE, timestamp = String(TIMESTAMP)) => ({
  'x-slack-signature': signature,
  'x-slack-request-timestamp': timestamp,
});
// Function URLs base64-encode form bodies (urls-invocation.html, "Request payload format").
const asDelivered = (body: string) => Buffer.from(body, 'utf8').toString('base64');

describe("Slack's request signature", () => {
  it("accepts Slack's documented example, over the raw body as a function URL delivers it", () => {
    // Act
    const verdict = verifySlackRequest(
      { headers: headers(), body: asDelivered(BODY), isBase64Encoded: true },
      SECRET,
      at(TIMESTAMP + 10),
    );
    // Assess
    expect(verdict).toStrictEqual({ ok: true, body: BODY });
  });

  it.each([
    ['signed with another secret', headers(), BODY, SECRET.replace('8f', '9f'), 'wrong signature'],
    [
      'a body altered by one byte',
      headers(),
      BODY.replace('user_name=roadrunner', 'user_name=roadrunnes'),
      SECRET,
      'wrong signature',
    ],
    ['no signature headers', {}, BODY, SECRET, 'missing signature'],
    [
      'a signature of the wrong form',
      headers('v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'),
      BODY,
      SECRET,
      'malformed signature',
    ],
    [
      'a timestamp that is no number',
      headers(SIGNATURE, '1531420618.5'),
      BODY,
      SECRET,
      'malformed signature',
    ],
  ])('refuses a request %s', (_what, given, body, secret, problem) => {
    // Act
    const verdict = verifySlackRequest(
      { headers: given, body: asDelivered(body), isBase64Encoded: true },
      secret,
      at(TIMESTAMP),
    );
    // Assess
    expect(verdict).toStrictEqual({ ok: false, problem });
  });

  it.each([
    ['301 s after it was signed (a replay)', TIMESTAMP + 301],
    ['301 s before it was signed (a skewed clock)', TIMESTAMP - 301],
  ])('refuses a request arriving %s, and accepts one 300 s away', (_what, now) => {
    // Act
    const stale = verifySlackRequest(
      { headers: headers(), body: BODY, isBase64Encoded: false },
      SECRET,
      at(now),
    );
    const edge = verifySlackRequest(
      { headers: headers(), body: BODY, isBase64Encoded: false },
      SECRET,
      at(now > TIMESTAMP ? TIMESTAMP + 300 : TIMESTAMP - 300),
    );
    // Assess
    expect(stale).toStrictEqual({ ok: false, problem: 'stale timestamp' });
    expect(edge.ok).toBe(true);
  });

  it('verifies the bytes, not the text: a body that base64 decodes differently fails', () => {
    // Act: the raw body signed, but delivered as if it were not base64 (read as text)
    const verdict = verifySlackRequest(
      { headers: headers(), body: asDelivered(BODY), isBase64Encoded: false },
      SECRET,
      at(TIMESTAMP),
    );
    // Assess
    expect(verdict).toStrictEqual({ ok: false, problem: 'wrong signature' });
  });
});
