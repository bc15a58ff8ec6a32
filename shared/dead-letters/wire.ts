import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { createDeadLetterQueue } from './dead-letter-queue.ts';
import type { DeadLetterQueue } from './ports.ts';

/** DeadLetterQueue over the stack's SQS dead-letter queue. */
const wireDeadLetterQueue = (runtime: Runtime<KernelConfig>): DeadLetterQueue =>
  createDeadLetterQueue(
    runtime.once('sqs-client', () => new SQSClient(clientConfig(runtime, 'SQS'))),
    requireEnv(runtime, 'DEAD_LETTER_QUEUE_URL'),
  );

export { wireDeadLetterQueue };
