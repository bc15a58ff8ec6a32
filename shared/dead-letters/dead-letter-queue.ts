import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueue } from './ports.ts';

// SQS accepts 256 KiB; a record holds the original event (≤256 KiB) plus the error, so clip it.
const MAX_BODY_CHARACTERS = 250_000;

/** DeadLetterQueue over an SQS queue. */
const createDeadLetterQueue = (client: SQSClient, queueUrl: string): DeadLetterQueue => ({
  park: async (functionName, record) => {
    const body = JSON.stringify(record);
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body.length <= MAX_BODY_CHARACTERS ? body : body.slice(0, MAX_BODY_CHARACTERS),
        MessageAttributes: { function: { DataType: 'String', StringValue: functionName } },
      }),
    );
  },
});

export { createDeadLetterQueue };
