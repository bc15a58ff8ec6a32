import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { clientConfig } from '@harbormaster/local-aws/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import { createService } from '#support/local-services.ts';

/**
 * Subscription filtering on Harbormaster's alert topic, against the embedded SNS. Alerts are
 * published with MessageStructure json (a readable email beside the Amazon Q Developer custom
 * notification), and "Message attributes are sent only when the message structure is String, not
 * JSON" (sns-message-attributes.html): a MessageAttributes filter policy never matches them. A
 * MessageBody policy on the custom notification's fields does (sns-message-filtering-scope.html,
 * nested keys of the payload).
 */

let stack: LocalStack | undefined;
afterEach(async () => stack?.close());

// The filter policy README.md shows ("Filtering the alert topic").
const ON_CALL_POLICY = {
  metadata: {
    additionalContext: { severity: ['error', 'critical'], cluster: ['prod'] },
  },
};

describe("Filtering the alert topic's subscriptions", () => {
  it('delivers errors of prod to a MessageBody-scoped subscription and nothing else; an attribute policy never matches', async () => {
    // Prepare
    stack = await startLocalStack({ now: new Date('2026-11-21T09:00:00Z') });
    const { local, topicArn } = stack;
    const sns = new SNSClient(clientConfig(local));
    const queue = (name: string) => {
      local.sqs.createQueue(name);
      return `arn:aws:sqs:${local.region}:${local.accountId}:${name}`;
    };
    const body = queue('oncall');
    const attributes = queue('oncall-by-attributes');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: body,
        Attributes: {
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify(ON_CALL_POLICY),
          RawMessageDelivery: 'true',
        },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: attributes,
        Attributes: { FilterPolicy: JSON.stringify({ severity: ['error', 'critical'] }) },
      }),
    );
    // Act: a deployment (info alerts), then tasks that cannot be placed (an error), on prod
    createService(local, { desiredCount: 2 });
    await local.clock.advance(5 * 60_000);
    local.ecs.setCapacity('prod', { maxRunningTasks: 1, reason: 'RESOURCE:CPU' });
    local.ecs.call('UpdateService', { cluster: 'prod', service: 'web', desiredCount: 3 });
    await local.clock.advance(5 * 60_000);
    await stack.settle();
    // Assess
    const published = local.sns.messages(topicArn).map((m) => m.subject);
    const received = local.sns.deliveries(body).map((d) => {
      const chat = JSON.parse(d.body) as {
        content: { title: string };
        metadata: { additionalContext: { severity: string } };
      };
      return chat.metadata.additionalContext.severity;
    });
    expect(published.filter((s) => s?.startsWith('[INFO]')).length).toBeGreaterThan(0);
    expect(published.filter((s) => s?.startsWith('[ERROR]')).length).toBeGreaterThan(0);
    expect(received.length).toBe(published.filter((s) => s?.startsWith('[ERROR]')).length);
    expect(new Set(received)).toStrictEqual(new Set(['error']));
    expect(local.sns.deliveries(attributes)).toStrictEqual([]);
  }, 60_000);
});
