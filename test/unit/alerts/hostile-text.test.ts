import { beforeAll, describe, expect, it } from 'vitest';
import { formatSnsPublication } from '#alerts/formats/sns.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { hostileAlerts, MENTIONS_AND_LINKS, unescapedCounts } from '#support/hostile-alerts.ts';

let messages: AlertMessage[];

beforeAll(async () => {
  messages = await hostileAlerts();
}, 60_000);

const chatOf = (message: AlertMessage) => {
  const perProtocol = JSON.parse(formatSnsPublication(message).Message) as {
    default: string;
    email: string;
  };
  return JSON.parse(perProtocol.default) as { content: { description: string } };
};

describe('Alerts with mentions and links planted in every ECS field of every real event', () => {
  it('render alerts of every kind, most of them carrying the planted text', () => {
    // Assess: the sample is broad, so that the checks below cannot pass on nothing
    const kinds = new Set(messages.map((m) => m.kind));
    expect(messages.length).toBeGreaterThan(400);
    expect([...kinds].sort()).toStrictEqual([
      'dead-letter',
      'deployment-event',
      'deployment-guard',
      'handler-error',
      'policy-violation',
      'service-event',
    ]);
    const carrying = messages.filter((m) => JSON.stringify(m).includes('<!channel>'));
    expect(carrying.length).toBeGreaterThan(40);
  });

  // Slack parses &, < and > as control characters in mrkdwn and asks for them escaped
  // (https://docs.slack.dev/messaging/formatting-message-text#escaping); Amazon Q Developer renders
  // client-markdown as the chat client's markdown
  // (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html).
  it('let no mention or link through to Slack or to Amazon Q Developer (client-markdown)', () => {
    // Act
    const counts = unescapedCounts(messages);
    // Assess
    expect(counts).toStrictEqual({ total: messages.length, chat: 0, slack: 0 });
  });

  it('show the planted text as written, escaped once', () => {
    // Prepare
    const escaped = MENTIONS_AND_LINKS.map((t) =>
      t.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
    ).join(' ');
    // Act
    const descriptions = messages.map((m) => chatOf(m).content.description);
    // Assess
    expect(descriptions.some((d) => d.includes(escaped))).toBe(true);
    expect(descriptions.some((d) => d.includes('&amp;lt;'))).toBe(false);
  });
});
