import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  NotFoundException,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, failure, START } from './harness.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:alerts-payments';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pager';

describe('SNS subscriptions and delivery', () => {
  let local: LocalAws;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    sns = new SNSClient(clientConfig(local));
    sqs = new SQSClient(clientConfig(local));
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn ?? '';
    local.sqs.createQueue('alerts-payments');
  });

  afterEach(async () => {
    sns.destroy();
    sqs.destroy();
    await local.close();
  });

  const subscribe = (protocol: string, endpoint: string, attributes?: Record<string, string>) =>
    sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: protocol,
        Endpoint: endpoint,
        ...(attributes ? { Attributes: attributes } : {}),
      }),
    );

  it('delivers to SQS in the JSON envelope, with String-structure attributes (sns-sqs-as-subscriber.html)', async () => {
    // Prepare
    const { SubscriptionArn } = await subscribe('sqs', QUEUE_ARN);

    // Act
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'Deployment rolled back',
        Message: 'web rolled back',
        MessageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
      }),
    );
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: `${local.url}/123456789012/alerts-payments` }),
    );

    // Assess
    const body = received.Messages?.[0]?.Body ?? '';
    expect(body.startsWith('{\n  "Type" : "Notification",\n')).toBe(true);
    expect(JSON.parse(body)).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topicArn,
      Subject: 'Deployment rolled back',
      Message: 'web rolled back',
      Timestamp: '2026-11-02T09:00:00.000Z',
      SignatureVersion: '1',
      UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`,
      MessageAttributes: { team: { Type: 'String', Value: 'payments' } },
    });
    expect(local.sns.deliveries(QUEUE_ARN)).toEqual([
      expect.objectContaining({ subscriptionArn: SubscriptionArn, status: 'delivered', body }),
    ]);
  });

  it('delivers raw to SQS with attributes as SQS attributes, and discards more than 10 (sns-message-attributes.html)', async () => {
    // Prepare
    await subscribe('sqs', QUEUE_ARN, { RawMessageDelivery: 'true' });
    const many = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'x' }]),
    );

    // Act
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: '{"kind":"rollback"}',
        MessageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
      }),
    );
    await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: 'too many', MessageAttributes: many }),
    );

    // Assess
    expect(local.sqs.messages('alerts-payments')).toEqual([
      expect.objectContaining({
        body: '{"kind":"rollback"}',
        messageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
      }),
    ]);
    expect(local.sns.deliveries().map((d) => d.status)).toEqual(['delivered', 'failed']);
  });

  it('sends no attributes with MessageStructure=json and reads the protocol key (API_Publish)', async () => {
    // Prepare
    await subscribe('sqs', QUEUE_ARN);

    // Act
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'plain', sqs: '{"for":"sqs"}' }),
        MessageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
      }),
    );

    // Assess
    const envelope = JSON.parse(local.sns.deliveries()[0]?.body ?? '{}');
    expect(envelope.Message).toBe('{"for":"sqs"}');
    expect(envelope).not.toHaveProperty('MessageAttributes');
  });

  it('invokes a subscribed function with the SNS event (with-sns.html)', async () => {
    // Prepare
    const events: unknown[] = [];
    local.lambda.onInvoke(FUNCTION_ARN, (event) => {
      events.push(event);
    });
    const { SubscriptionArn } = await subscribe('lambda', FUNCTION_ARN);

    // Act
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'page me',
        MessageAttributes: { count: { DataType: 'Number', StringValue: '3' } },
      }),
    );
    await local.settle();

    // Assess
    expect(events).toEqual([
      {
        Records: [
          expect.objectContaining({
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: SubscriptionArn,
            Sns: expect.objectContaining({
              Type: 'Notification',
              Subject: null,
              Message: 'page me',
              MessageAttributes: { count: { Type: 'String', Value: '3' } },
            }),
          }),
        ],
      },
    ]);
  });

  it('holds HTTPS and email subscriptions until confirmed with the token (SendMessageToHttp.confirm)', async () => {
    // Prepare
    const pending = await subscribe('https', 'https://hooks.example.com/sns');
    const token = JSON.parse(local.sns.deliveries()[0]?.body ?? '{}').Token as string;

    // Act
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'before' }));
    const confirmed = await sns.send(
      new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after' }));
    const badToken = await failure(
      sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'nope' })),
    );

    // Assess
    expect(pending.SubscriptionArn).toBe('pending confirmation');
    expect(
      local.sns.deliveries().map((d) => [d.type, d.headers?.['x-amz-sns-message-type']]),
    ).toEqual([
      ['SubscriptionConfirmation', 'SubscriptionConfirmation'],
      ['Notification', 'Notification'],
    ]);
    expect(JSON.parse(local.sns.deliveries()[1]?.body ?? '{}').Message).toBe('after');
    expect(confirmed.SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:alerts:/);
    expect(badToken).toBeInstanceOf(InvalidParameterException);
  });

  it('answers attributes, refuses bad ones and lists and removes subscriptions (API_SetSubscriptionAttributes)', async () => {
    // Prepare
    const { SubscriptionArn } = await subscribe('sqs', QUEUE_ARN, {
      FilterPolicy: '{"team":["payments"]}',
    });

    // Act
    const attributes = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    const rawLambda = await failure(
      subscribe('lambda', FUNCTION_ARN, { RawMessageDelivery: 'true' }),
    );
    const badScope = await failure(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'FilterPolicyScope',
          AttributeValue: 'Body',
        }),
      ),
    );
    const badName = await failure(
      sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'Colour',
          AttributeValue: 'x',
        }),
      ),
    );
    const differing = await failure(
      subscribe('sqs', QUEUE_ARN, { FilterPolicy: '{"team":["web"]}' }),
    );
    const badEndpoint = await failure(subscribe('sqs', 'https://sqs.example.com/queue'));
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    const gone = await failure(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })));

    // Assess
    expect(attributes.Attributes).toMatchObject({
      SubscriptionArn,
      Protocol: 'sqs',
      Endpoint: QUEUE_ARN,
      RawMessageDelivery: 'false',
      PendingConfirmation: 'false',
      FilterPolicy: '{"team":["payments"]}',
      FilterPolicyScope: 'MessageAttributes',
    });
    expect(rawLambda.message).toBe(
      'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
    );
    expect(badScope.message).toBe(
      'Invalid parameter: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes',
    );
    expect(badName.message).toBe('Invalid parameter: AttributeName');
    expect(differing.message).toContain('Subscription already exists with different attributes');
    expect(badEndpoint.message).toBe('Invalid parameter: SQS endpoint ARN');
    expect(listed.Subscriptions).toEqual([
      {
        SubscriptionArn,
        Owner: '123456789012',
        Protocol: 'sqs',
        Endpoint: QUEUE_ARN,
        TopicArn: topicArn,
      },
    ]);
    expect(gone).toBeInstanceOf(NotFoundException);
  });
});
