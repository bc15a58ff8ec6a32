import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { clientConfig } from '@harbormaster/local-aws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSlackSecret } from '#chat/secret-parameter.ts';
import { ConfigError } from '#kernel/errors.ts';
import { redactSecrets } from '#kernel/secrets.ts';

/**
 * The Slack app's credentials, read at cold start from SSM (a SecureString, or a Secrets Manager
 * secret through /aws/reference/secretsmanager/, here a SecureString holding the same JSON): bot
 * tokens are xoxb-<digits>-<digits>-<alphanumerics> (docs.slack.dev/authentication/tokens). Not
 * real tokens.
 */

const TOKEN = `xoxb-${'1'.repeat(12)}-${'2'.repeat(13)}-${'a'.repeat(24)}`;
const BOT_TOKEN = /^xoxb-[A-Za-z0-9-]{10,250}$/;
// Two tokens in one secret: which one is meant needs the key (alerts.slackApp.botTokenKey).
const TWO_TOKENS = JSON.stringify({ botToken: TOKEN, other: `xoxb-${'9'.repeat(12)}-other-value` });

let local: LocalAws;
beforeAll(async () => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
  local.ssm.put('/harbormaster/bot', TOKEN, 'SecureString');
  local.ssm.put('/harbormaster/app', TWO_TOKENS, 'SecureString');
  local.ssm.put('/harbormaster/wrong', 'T0123-not-a-token-at-all', 'SecureString');
});
afterAll(async () => local.close());

const read = (parameter: string, key?: string) =>
  readSlackSecret(clientConfig(local), {
    field: 'alerts.slackApp.botTokenParameter',
    parameter,
    key,
    shape: BOT_TOKEN,
    expected: 'Slack bot token (xoxb-...)',
  });

describe("The Slack app's bot token", () => {
  it('is read from a SecureString, or from the key of a key/value secret, and never printed after', async () => {
    // Act
    const plain = await read('/harbormaster/bot');
    const keyed = await read('/harbormaster/app', 'botToken');
    // Assess
    expect([plain, keyed]).toStrictEqual([TOKEN, TOKEN]);
    expect(redactSecrets(`posting with ${TOKEN} failed`)).toBe('posting with [redacted] failed');
  });

  it.each([
    [
      '/harbormaster/wrong',
      undefined,
      '/harbormaster/wrong holds no Slack bot token (xoxb-...) (24 characters)',
    ],
    [
      '/harbormaster/app',
      undefined,
      `/harbormaster/app holds no Slack bot token (xoxb-...) (${TWO_TOKENS.length} characters, a JSON document)`,
    ],
  ])(
    'fails the cold start on %s (key %s), naming the field and the parameter, never the value',
    async (parameter, key, message) => {
      // Act
      const error = await read(parameter, key).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toStrictEqual([
        { path: 'alerts.slackApp.botTokenParameter', message },
      ]);
      expect(JSON.stringify((error as ConfigError).issues)).not.toContain('not-a-token');
    },
  );
});
