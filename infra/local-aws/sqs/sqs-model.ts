import type { AwsError } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import { isObject, type JsonObject, readInput } from '../core/input.ts';
import type { JsonService } from '../server/service-types.ts';
import { MAX_MESSAGE_BYTES, messageSize, readMessageAttributes } from './message-attributes.ts';
import {
  DEFAULT_ATTRIBUTES,
  deleteMessage,
  invalidValue,
  messageByHandle,
  missing,
  noQueue,
  type Queue,
  queueAttributes,
  type Redrive,
  receiveMessages,
  type SqsMessage,
  sendMessage,
  sqsError,
  wants,
} from './sqs-messages.ts';

export type { SqsMessage } from './sqs-messages.ts';

/** In-memory SQS: queues, visibility timeouts and redrive, on the simulated clock. */
export class SqsModel {
  readonly #baseUrl: string;
  readonly #region: string;
  readonly #accountId: string;
  readonly #clock: SimClock;
  readonly #queues = new Map<string, Queue>();

  constructor(options: { baseUrl: string; region: string; accountId: string; clock: SimClock }) {
    this.#baseUrl = options.baseUrl;
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
  }

  /** Creates (or returns) a queue; returns its URL. */
  createQueue(name: string, attributes: Record<string, string> = {}): string {
    if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
      throw invalidValue(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const existing = this.#queues.get(name);
    if (existing) {
      const differs = Object.entries(attributes).some(([k, v]) => existing.attributes[k] !== v);
      if (differs) {
        throw sqsError(
          'QueueNameExists',
          'QueueAlreadyExists',
          'A queue already exists with the same name and a different value for attribute(s)',
        );
      }
      return existing.url;
    }
    const fifo = name.endsWith('.fifo');
    if (fifo !== (attributes.FifoQueue === 'true')) {
      throw invalidValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix',
      );
    }
    // API_SetQueueAttributes, MaximumMessageSize: "from 1,024 bytes (1 KiB) up to 1,048,576 bytes (1 MiB)".
    const maxSize = attributes.MaximumMessageSize;
    if (
      maxSize !== undefined &&
      !(/^\d+$/.test(maxSize) && Number(maxSize) >= 1024 && Number(maxSize) <= MAX_MESSAGE_BYTES)
    )
      throw sqsError(
        'InvalidAttributeValue',
        'InvalidAttributeValue',
        `Invalid value for the parameter MaximumMessageSize.`,
      );
    const queue: Queue = {
      name,
      url: `${this.#baseUrl}/${this.#accountId}/${name}`,
      arn: `arn:aws:sqs:${this.#region}:${this.#accountId}:${name}`,
      attributes: { ...DEFAULT_ATTRIBUTES, ...attributes },
      messages: [],
      createdAt: this.#clock.nowMs(),
      dedup: new Map(),
    };
    this.#queues.set(name, queue);
    return queue.url;
  }

  /**
   * Sends as another service does on a queue's behalf (an SNS subscription): by queue ARN, with
   * the same checks as SendMessage; throws when the queue is missing or refuses the message.
   */
  sendFromService(
    queueArn: string,
    body: string,
    attributes: Record<string, unknown> | undefined,
    senderId: string,
  ): void {
    const queue = [...this.#queues.values()].find((q) => q.arn === queueArn);
    if (queue === undefined) throw noQueue();
    sendMessage(
      queue,
      { MessageBody: body, ...(attributes === undefined ? {} : { MessageAttributes: attributes }) },
      senderId,
      this.#clock.nowMs(),
    );
  }

  /** Messages currently held by a queue (visible or in flight). */
  messages(queueName: string): SqsMessage[] {
    return [...(this.#queues.get(queueName)?.messages ?? [])];
  }

  /** Wire service (AWS JSON 1.0, `AmazonSQS.<Operation>`, query-compatible errors). */
  wire(): JsonService {
    const v = (message: string): AwsError => invalidValue(message);
    return {
      name: 'sqs',
      protocol: 'json',
      targetPrefix: 'AmazonSQS',
      jsonVersion: '1.0',
      queryCompatible: true,
      operations: {
        CreateQueue: (input) => {
          const read = readInput(input, v);
          const attributes: Record<string, string> = {};
          for (const [k, val] of Object.entries(read.optObj('Attributes') ?? {}))
            attributes[k] = String(val);
          return { QueueUrl: this.createQueue(read.str('QueueName'), attributes) };
        },
        GetQueueUrl: (input) => {
          const queue = this.#queues.get(readInput(input, v).str('QueueName'));
          if (queue === undefined) throw noQueue();
          return { QueueUrl: queue.url };
        },
        ListQueues: (input) => {
          const prefix = readInput(input, v).optStr('QueueNamePrefix') ?? '';
          return {
            QueueUrls: [...this.#queues.values()]
              .filter((q) => q.name.startsWith(prefix))
              .map((q) => q.url),
          };
        },
        DeleteQueue: (input) => {
          this.#queues.delete(this.#queue(input).name);
          return {};
        },
        PurgeQueue: (input) => {
          this.#queue(input).messages.length = 0;
          return {};
        },
        SendMessage: (input, call) =>
          sendMessage(this.#queue(input), input, call.principal.accessKeyId, this.#clock.nowMs()),
        SendMessageBatch: (input, call) => {
          const queue = this.#queue(input);
          const entries = (readInput(input, v).optArr('Entries') ?? []).filter(isObject);
          if (entries.length === 0) {
            throw sqsError(
              'EmptyBatchRequest',
              'AWS.SimpleQueueService.EmptyBatchRequest',
              'There should be at least one SendMessageBatchRequestEntry in the request.',
            );
          }
          // API_SendMessageBatch: "the maximum total payload size (the sum of the individual
          // lengths of all of the batched messages) [is] 1 MiB (1,048,576 bytes)".
          const total = entries.reduce(
            (sum, e) =>
              sum +
              messageSize(
                typeof e.MessageBody === 'string' ? e.MessageBody : '',
                readMessageAttributes(isObject(e.MessageAttributes) ? e.MessageAttributes : {}, v),
              ),
            0,
          );
          if (total > MAX_MESSAGE_BYTES)
            throw sqsError(
              'BatchRequestTooLong',
              'AWS.SimpleQueueService.BatchRequestTooLong',
              `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`,
            );
          const Successful = entries.map((entry) => ({
            Id: entry.Id,
            ...sendMessage(queue, entry, call.principal.accessKeyId, this.#clock.nowMs()),
          }));
          return { Successful, Failed: [] };
        },
        ReceiveMessage: (input) => {
          const queue = this.#queue(input);
          return receiveMessages(queue, input, this.#clock.nowMs(), this.#redrive(queue));
        },
        DeleteMessage: (input) => {
          deleteMessage(this.#queue(input), readInput(input, v).str('ReceiptHandle'));
          return {};
        },
        DeleteMessageBatch: (input) => {
          const queue = this.#queue(input);
          const entries = (readInput(input, v).optArr('Entries') ?? []).filter(isObject);
          for (const entry of entries) deleteMessage(queue, String(entry.ReceiptHandle));
          return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
        },
        ChangeMessageVisibility: (input) => {
          const read = readInput(input, v);
          const message = messageByHandle(this.#queue(input), read.str('ReceiptHandle'));
          if (message)
            message.visibleAt = this.#clock.nowMs() + read.num('VisibilityTimeout') * 1000;
          return {};
        },
        GetQueueAttributes: (input) => {
          const names = readInput(input, v).optStrArr('AttributeNames') ?? [];
          const all = queueAttributes(this.#queue(input), this.#clock.nowMs());
          const Attributes: Record<string, string> = {};
          for (const [k, val] of Object.entries(all)) if (wants(names, k)) Attributes[k] = val;
          return { Attributes };
        },
      },
    };
  }

  #queue(input: JsonObject): Queue {
    const url = readInput(input, (m) => invalidValue(m)).optStr('QueueUrl');
    if (url === undefined) throw missing('The request must contain the parameter QueueUrl.');
    const name = url.split('/').pop() ?? '';
    const queue = this.#queues.get(name);
    if (queue === undefined) throw noQueue();
    return queue;
  }

  #redrive(queue: Queue): Redrive | undefined {
    const policy = queue.attributes.RedrivePolicy;
    if (policy === undefined) return undefined;
    const parsed = JSON.parse(policy) as {
      deadLetterTargetArn?: string;
      maxReceiveCount?: number | string;
    };
    const target = [...this.#queues.values()].find((q) => q.arn === parsed.deadLetterTargetArn);
    return target ? { target, maxReceiveCount: Number(parsed.maxReceiveCount ?? 10) } : undefined;
  }
}
