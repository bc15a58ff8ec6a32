import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, failure, START } from './harness.ts';

// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html and
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html:
// messages up to 1 MiB (1,048,576 bytes), "all parts of the message attribute, including Name,
// Type, and Value, are part of the message size restriction"; "Name, type, value and the message
// body must not be empty or null".
describe('SQS message limits', () => {
  let local: LocalAws;
  let sqs: SQSClient;
  let QueueUrl: string;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    sqs = new SQSClient(clientConfig(local));
    QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'work' }))).QueueUrl ?? '';
  });

  afterEach(async () => {
    sqs.destroy();
    await local.close();
  });

  const send = (body: string, attributes?: Record<string, MessageAttributeValue>) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: body,
        ...(attributes === undefined ? {} : { MessageAttributes: attributes }),
      }),
    );

  it('defaults MaximumMessageSize to 1 MiB and takes a message of exactly 1,048,576 bytes counting its attributes', async () => {
    // Prepare: name "k" (1) + type "String" (6) + value "v" (1) = 8 bytes of attribute.
    const attribute = { k: { DataType: 'String', StringValue: 'v' } };
    // Act
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize'] }),
    );
    const fits = await send('a'.repeat(1_048_576 - 8), attribute);
    const tooLong = await failure(send('a'.repeat(1_048_576 - 7), attribute));
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }),
    );
    // Assess
    expect(attributes.Attributes?.MaximumMessageSize).toBe('1048576');
    expect(fits.MessageId).toBeDefined();
    expect(tooLong.name).toBe('InvalidParameterValue');
    expect(tooLong.message).toBe(
      'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    );
    expect(received.Messages?.[0]?.Body).toHaveLength(1_048_568);
  });

  it('refuses a batch whose messages add up to more than 1 MiB (API_SendMessageBatch)', async () => {
    // Act
    const error = await failure(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'a', MessageBody: 'a'.repeat(600_000) },
            { Id: 'b', MessageBody: 'b'.repeat(600_000) },
          ],
        }),
      ),
    );
    // Assess
    expect(error.name).toBe('BatchRequestTooLong');
  });

  it('refuses empty attribute values, unknown data types, non-numbers and more than 10 attributes', async () => {
    // Act
    const empty = await failure(send('x', { k: { DataType: 'String', StringValue: '' } }));
    const noBinary = await failure(send('x', { k: { DataType: 'Binary' } }));
    const badType = await failure(send('x', { k: { DataType: 'Text', StringValue: 'v' } }));
    const notNumber = await failure(send('x', { n: { DataType: 'Number', StringValue: 'ten' } }));
    const eleven = await failure(
      send(
        'x',
        Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
        ),
      ),
    );
    const labelled = await send('x', { n: { DataType: 'Number.int', StringValue: '10' } });
    // Assess
    expect(empty.message).toBe(
      "Message (user) attribute 'k' must contain a non-empty value of type 'String'.",
    );
    expect(noBinary.message).toBe(
      "Message (user) attribute 'k' must contain a non-empty value of type 'Binary'.",
    );
    expect(badType.name).toBe('InvalidParameterValue');
    expect(notNumber.name).toBe('InvalidParameterValue');
    expect(eleven.message).toBe(
      'Number of message attributes [11] exceeds the allowed maximum [10].',
    );
    expect(labelled.MessageId).toBeDefined();
  });

  it('refuses a MaximumMessageSize outside 1 KiB to 1 MiB (API_SetQueueAttributes)', async () => {
    // Act
    const error = await failure(
      sqs.send(
        new CreateQueueCommand({
          QueueName: 'huge',
          Attributes: { MaximumMessageSize: '1048577' },
        }),
      ),
    );
    // Assess
    expect(error.name).toBe('InvalidAttributeValue');
  });
});
