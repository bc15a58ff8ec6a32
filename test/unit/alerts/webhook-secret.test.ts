import { describe, expect, it, vi } from 'vitest';
import { createSlackChannel } from '#alerts/channels/slack-channel.ts';
import { webhookUrlFrom } from '#alerts/channels/webhook-url.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { ConfigError } from '#kernel/errors.ts';
import { redactDeep, redactSecrets, registerSecret } from '#kernel/secrets.ts';

// The shape of a Slack incoming webhook URL: its path is the credential (not a real one).
const URL = 'https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/abcdefghijklmnopqrstuvwx';
const PARAMETER = '/aws/reference/secretsmanager/harbormaster/slack';

describe('Function: webhookUrlFrom', () => {
  it.each([
    ['a plain URL (an SSM SecureString)', URL],
    ['a plain URL with a trailing newline', `${URL}\n`],
    ['a Secrets Manager key/value secret', JSON.stringify({ url: URL })],
    ['a key/value secret with other keys', JSON.stringify({ SLACK_WEBHOOK_URL: URL, team: 'ops' })],
  ])('reads %s', (_label, value) => {
    // Assess
    expect(webhookUrlFrom(value, PARAMETER)).toBe(URL);
  });

  it('reads the configured key of a secret holding several URLs', () => {
    // Prepare
    const value = JSON.stringify({ alerts: URL, audit: `${URL}-audit` });
    // Assess
    expect(webhookUrlFrom(value, PARAMETER, 'alerts')).toBe(URL);
    expect(() => webhookUrlFrom(value, PARAMETER)).toThrow(/set alerts\.slack\.webhookUrlKey/);
  });

  it.each([
    ['a value that is no URL', `hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/${'s'.repeat(24)}`],
    ['an http URL', URL.replace('https:', 'http:')],
    ['a URL with credentials', URL.replace('https://', 'https://user:pass@')],
    ['a JSON document without one', JSON.stringify({ token: 'xoxb-not-a-url-secret-value' })],
    ['a JSON document that is not an object', JSON.stringify([URL])],
    ['a truncated JSON document', `{"url": "${URL}`],
  ])(
    'fails the cold start on %s, naming the parameter and never showing the value',
    (_l, value) => {
      // Act
      let error: unknown;
      try {
        webhookUrlFrom(value, PARAMETER);
      } catch (caught) {
        error = caught;
      }
      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(`alerts.slack.webhookUrlParameter: ${PARAMETER} holds`);
      for (const part of [URL, 'T0EXAMPLE', 'xoxb-not-a-url', 'user:pass', 's'.repeat(24)])
        expect(message).not.toContain(part);
    },
  );
});

describe('Function: redactSecrets', () => {
  it('replaces any Slack webhook URL, in any text, and every secret this instance registered', () => {
    // Prepare
    registerSecret('https://chat.example.internal/hooks/0123456789abcdef');
    const text = `Failed to parse URL from {"url":"${URL}"}; GovSlack https://hooks.slack-gov.com/services/T/B/x and https://chat.example.internal/hooks/0123456789abcdef`;
    // Act
    const redacted = redactSecrets(text);
    // Assess
    expect(redacted).toBe(
      'Failed to parse URL from {"url":"https://hooks.slack.com/[redacted]"}; GovSlack https://hooks.slack.com/[redacted] and [redacted]',
    );
  });

  it('redacts every string of a record, keeping its keys (a key named __proto__ stays a key)', () => {
    // Prepare
    const record = JSON.parse(`{"__proto__": {"error": "${URL}"}, "list": ["${URL}"]}`);
    // Act
    const redacted = redactDeep(record) as Record<string, unknown>;
    // Assess
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).not.toContain('T0EXAMPLE');
    expect(Object.keys(redacted)).toStrictEqual(['__proto__', 'list']);
  });
});

describe('Function: createSlackChannel errors', () => {
  const message = {
    id: 'k',
    severity: 'error',
    kind: 'service-event',
    eventType: 'X',
    title: 'title',
    summary: 'summary',
    fields: [],
    details: [],
    nextSteps: [],
    links: [],
    threadId: 't',
    resources: [],
    attributes: {},
    occurredAt: '2026-11-02T09:00:00.000Z',
    actions: [],
  } satisfies AlertMessage;

  it('never carry the webhook URL, whatever the fetch error quoted', async () => {
    // Prepare: what Node's fetch says of a URL it cannot parse
    const channel = createSlackChannel({
      webhookUrl: URL,
      minimumSeverity: 'info',
      timeoutMs: 1_000,
      fetchImpl: async () => {
        throw new TypeError(`Failed to parse URL from ${URL}`);
      },
      sleep: async () => undefined,
    });
    // Act
    const sent = channel.send(message, { remainingMs: () => 20_000 });
    // Assess
    await expect(sent).rejects.toThrow(/Slack webhook failed: request failed: Failed to parse URL/);
    await expect(sent).rejects.not.toThrow(/T0EXAMPLE/);
  });
});

describe('The Powertools logger of every function', () => {
  it('redacts Slack webhook URLs from every log line, error messages and stacks included', async () => {
    // Prepare
    const { createPowertools, powertoolsTelemetry } = await import('#kernel/powertools.ts');
    const printed: string[] = [];
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    try {
      const { log } = powertoolsTelemetry(createPowertools('service-alerts', 'test'));
      // Act
      log.error('Transient failure', { error: new TypeError(`Failed to parse URL from ${URL}`) });
      log.info(`posting to ${URL}`, { nested: { url: URL } });
    } finally {
      process.env.POWERTOOLS_LOG_LEVEL = level;
      out.mockRestore();
      err.mockRestore();
    }
    // Assess
    const text = printed.join('');
    expect(text).toContain('Failed to parse URL from https://hooks.slack.com/[redacted]');
    expect(text).toContain('posting to https://hooks.slack.com/[redacted]');
    expect(text).not.toContain('T0EXAMPLE');
  });
});
