import { describe, expect, it } from 'vitest';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { formatSnsPublication } from '#alerts/formats/sns.ts';
import { renderAlert } from '#alerts/render.ts';
import { serviceEventAlertRenderers } from '#alerts/service-events/actions.ts';
import { decideServiceAlert, type ServiceAlertEvent } from '#alerts/service-events/decide.ts';
import { parseConfig } from '#config/parse.ts';
import { serviceAlerts } from '#functions/service-alerts/definition.ts';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { fixture, type Json, withDetail } from '#support/events.ts';

const messageFor = (raw: Json): AlertMessage => {
  const decision = decideServiceAlert(
    serviceAlerts.parse(raw) as ServiceAlertEvent,
    { service: undefined },
    parseConfig({}, 't'),
    new Date(),
  );
  const action = decision.actions[0];
  if (action?.type !== 'notify') throw new Error('expected an alert');
  return renderAlert(action.alert, serviceEventAlertRenderers);
};

const placement = () => messageFor(fixture('service-action-placement-failure-ec2-cpu-docs'));

describe('Function: formatSnsPublication', () => {
  it('publishes a chat-application payload by default and a readable email body', () => {
    // Act
    const publication = formatSnsPublication(placement());
    const perProtocol = JSON.parse(publication.Message) as { default: string; email: string };
    const chat = JSON.parse(perProtocol.default);
    // Assess
    expect(publication.MessageStructure).toBe('json');
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: ':red_circle: default/servicetest cannot place tasks (RESOURCE:CPU)',
        nextSteps: expect.arrayContaining([expect.stringContaining('capacity providers')]),
      },
      metadata: {
        threadId: 'ecs-default-servicetest',
        eventType: 'SERVICE_TASK_PLACEMENT_FAILURE',
        additionalContext: { severity: 'error', cluster: 'default', service: 'servicetest' },
      },
    });
    expect(chat.content.description).toContain('RESOURCE:CPU');
    expect(perProtocol.email).toContain('Reason from ECS: RESOURCE:CPU');
    expect(perProtocol.email).toMatch(
      /Service: https:\/\/us-west-2\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/default\/services\/servicetest\/health\?region=us-west-2/,
    );
  });

  it('sets filterable attributes for severity, kind, cluster, service and event', () => {
    // Act
    const { MessageAttributes } = formatSnsPublication(placement());
    // Assess
    expect(MessageAttributes).toStrictEqual({
      severity: { DataType: 'String', StringValue: 'error' },
      kind: { DataType: 'String', StringValue: 'service-event' },
      cluster: { DataType: 'String', StringValue: 'default' },
      service: { DataType: 'String', StringValue: 'servicetest' },
      eventType: { DataType: 'String', StringValue: 'SERVICE_TASK_PLACEMENT_FAILURE' },
    });
  });

  it('keeps the subject within what SNS accepts: printable ASCII, one line, at most 100 characters', () => {
    // Prepare
    const long = messageFor(
      withDetail('service-action-placement-failure-ec2-cpu-docs', {
        reason: `RESOURCE:CPU \u2014 d\u00e9j\u00e0 vu\n${'x'.repeat(200)}`,
      }),
    );
    // Act
    const { Subject } = formatSnsPublication(long);
    // Assess
    expect(Subject.length).toBeLessThanOrEqual(100);
    expect(Subject).toMatch(/^[\x20-\x7e]+$/);
    expect(Subject.startsWith('[ERROR] default/servicetest cannot place tasks')).toBe(true);
  });
});

describe('Function: formatSlackMessage', () => {
  it('lays the alert out in Block Kit with fields, next steps and console links', () => {
    // Act
    const message = formatSlackMessage(placement());
    // Assess
    expect(message.blocks.map((b) => b.type)).toStrictEqual([
      'header',
      'section',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(JSON.stringify(message.blocks)).toContain(
      '<https://us-west-2.console.aws.amazon.com/ecs/v2/clusters/default/services/servicetest/health?region=us-west-2|Service>',
    );
  });

  it("escapes Slack's control characters so event text cannot ping a channel or forge a link", () => {
    // Prepare
    const hostile = messageFor(
      withDetail('service-action-placement-failure-ec2-cpu-docs', {
        reason: '<!channel> & <https://evil.example|click>',
      }),
    );
    // Act
    const message = formatSlackMessage(hostile);
    // Assess: Slack parses mentions and links in mrkdwn and the fallback text, never in plain_text
    const mrkdwn = [
      message.text,
      ...(JSON.stringify(message.blocks).match(/"type":"mrkdwn","text":"[^"]*"/g) ?? []),
    ];
    for (const text of mrkdwn) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example');
    }
    expect(JSON.stringify(message.blocks)).toContain(
      '&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
    );
  });

  it('stays within Block Kit limits for very long event text', () => {
    // Prepare
    const long = messageFor(
      withDetail('service-action-placement-failure-ec2-cpu-docs', { reason: 'y'.repeat(4000) }),
    );
    // Act
    const { blocks } = formatSlackMessage(long);
    // Assess
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(block.type === 'header' ? 150 : 3000);
    }
  });
});
