import { AwsError } from '../core/aws-error.ts';
import { randomDigits, sha256Hex, uuid } from '../core/ids.ts';
import { type JsonObject, readInput } from '../core/input.ts';
import { MAX_MESSAGE_BYTES, messageSize, readMessageAttributes } from './message-attributes.ts';
import { md5Hex, md5OfAttributes, type SqsMessageAttribute } from './sqs-md5.ts';

/** A message held by a queue. */
export interface SqsMessage {
  messageId: string;
  body: string;
  messageAttributes: Record<string, SqsMessageAttribute>;
  sentAt: Date;
  receiveCount: number;
  /** Simulated epoch ms from which the message can be received again. */
  visibleAt: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  senderId: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

/** A queue and the messages it holds. */
export interface Queue {
  name: string;
  url: string;
  arn: string;
  attributes: Record<string, string>;
  messages: SqsMessage[];
  createdAt: number;
  dedup: Map<string, { messageId: string; at: number }>;
}

/** A redrive policy resolved to its dead-letter queue. */
export interface Redrive {
  target: Queue;
  maxReceiveCount: number;
}

/** A query-compatible SQS error: JSON `__type` is the shape name, the header the query code. */
export const sqsError = (
  code: string,
  queryCode: string,
  message: string,
  status = 400,
): AwsError => new AwsError(code, message, status, { queryCode });
/** QueueDoesNotExist (query code AWS.SimpleQueueService.NonExistentQueue). */
export const noQueue = (): AwsError =>
  sqsError(
    'QueueDoesNotExist',
    'AWS.SimpleQueueService.NonExistentQueue',
    'The specified queue does not exist.',
  );
/** InvalidParameterValue. */
export const invalidValue = (message: string): AwsError =>
  sqsError('InvalidParameterValue', 'InvalidParameterValue', message);
/** MissingParameter. */
export const missing = (message: string): AwsError =>
  sqsError('MissingParameter', 'MissingParameter', message);

/** Attributes of a queue created without any. */
export const DEFAULT_ATTRIBUTES: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: String(MAX_MESSAGE_BYTES),
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/** Whether an attribute-name filter (`All`, `.*`, `prefix.*` or a name) selects `name`. */
export const wants = (names: string[] | undefined, name: string): boolean =>
  (names ?? []).some(
    (n) =>
      n === 'All' ||
      n === '.*' ||
      n === name ||
      (n.endsWith('.*') && name.startsWith(n.slice(0, -1))),
  );

/** All attributes of a queue, with the approximate counts at `now`. */
export const queueAttributes = (queue: Queue, now: number): Record<string, string> => {
  const held = queue.messages;
  return {
    ...queue.attributes,
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(held.filter((m) => m.visibleAt <= now).length),
    ApproximateNumberOfMessagesNotVisible: String(
      held.filter((m) => m.visibleAt > now && m.receiveCount > 0).length,
    ),
    ApproximateNumberOfMessagesDelayed: String(
      held.filter((m) => m.visibleAt > now && m.receiveCount === 0).length,
    ),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
  };
};

/** SendMessage into `queue` (FIFO deduplication included). */
export const sendMessage = (
  queue: Queue,
  input: JsonObject,
  senderId: string,
  now: number,
): JsonObject => {
  const read = readInput(input, (m) => invalidValue(m));
  const body = read.optStr('MessageBody');
  if (body === undefined || body === '')
    throw missing('The request must contain the parameter MessageBody.');
  const attributes = readMessageAttributes(read.optObj('MessageAttributes'), invalidValue);
  const limit = Number(queue.attributes.MaximumMessageSize);
  if (messageSize(body, attributes) > limit) {
    throw invalidValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: SQS rejects exactly these characters.
  if (/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body)) {
    throw sqsError('InvalidMessageContents', 'InvalidMessageContents', 'Invalid characters found.');
  }
  const delay = read.optNum('DelaySeconds') ?? Number(queue.attributes.DelaySeconds);
  if (delay < 0 || delay > 900)
    throw invalidValue(
      'Value for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900.',
    );
  const fifo = queue.name.endsWith('.fifo');
  const groupId = read.optStr('MessageGroupId');
  let dedupId = read.optStr('MessageDeduplicationId');
  if (fifo) {
    if (groupId === undefined)
      throw missing('The request must contain the parameter MessageGroupId.');
    if (dedupId === undefined && queue.attributes.ContentBasedDeduplication === 'true')
      dedupId = sha256Hex(body);
    if (dedupId === undefined) {
      throw invalidValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    const seen = queue.dedup.get(dedupId);
    if (seen && now - seen.at < 300_000)
      return { MessageId: seen.messageId, MD5OfMessageBody: md5Hex(body) };
  }
  const message: SqsMessage = {
    messageId: uuid(),
    body,
    messageAttributes: attributes,
    sentAt: new Date(now),
    receiveCount: 0,
    visibleAt: now + delay * 1000,
    senderId,
    ...(groupId === undefined ? {} : { messageGroupId: groupId }),
    ...(dedupId === undefined ? {} : { messageDeduplicationId: dedupId }),
    ...(fifo ? { sequenceNumber: randomDigits(20) } : {}),
  };
  if (fifo && dedupId !== undefined)
    queue.dedup.set(dedupId, { messageId: message.messageId, at: now });
  queue.messages.push(message);
  const md5Attrs = md5OfAttributes(attributes);
  return {
    MessageId: message.messageId,
    MD5OfMessageBody: md5Hex(body),
    ...(md5Attrs === undefined ? {} : { MD5OfMessageAttributes: md5Attrs }),
    ...(message.sequenceNumber === undefined ? {} : { SequenceNumber: message.sequenceNumber }),
  };
};

/** ReceiveMessage: visible messages become in flight; over-received ones move to the DLQ. */
export const receiveMessages = (
  queue: Queue,
  input: JsonObject,
  now: number,
  redrive: Redrive | undefined,
): JsonObject => {
  const read = readInput(input, (m) => invalidValue(m));
  const max = read.optNum('MaxNumberOfMessages') ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw invalidValue(
      `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
    );
  }
  const visibility = read.optNum('VisibilityTimeout') ?? Number(queue.attributes.VisibilityTimeout);
  const systemNames = [
    ...(read.optStrArr('AttributeNames') ?? []),
    ...(read.optStrArr('MessageSystemAttributeNames') ?? []),
  ];
  const attributeNames = read.optStrArr('MessageAttributeNames');
  const out: JsonObject[] = [];
  for (const message of [...queue.messages]) {
    if (out.length >= max) break;
    if (message.visibleAt > now) continue;
    if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
      queue.messages.splice(queue.messages.indexOf(message), 1);
      redrive.target.messages.push({ ...message, visibleAt: now });
      continue;
    }
    message.receiveCount += 1;
    message.firstReceivedAt ??= now;
    message.visibleAt = now + visibility * 1000;
    message.receiptHandle = Buffer.from(
      JSON.stringify({ q: queue.name, m: message.messageId, n: uuid() }),
    ).toString('base64');
    out.push(messageView(message, systemNames, attributeNames, now));
  }
  return out.length === 0 ? {} : { Messages: out };
};

const messageView = (
  message: SqsMessage,
  systemNames: string[],
  attributeNames: string[] | undefined,
  now: number,
): JsonObject => {
  const system: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt.getTime()),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? now),
    ...(message.messageGroupId ? { MessageGroupId: message.messageGroupId } : {}),
    ...(message.messageDeduplicationId
      ? { MessageDeduplicationId: message.messageDeduplicationId }
      : {}),
    ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
  };
  const Attributes = Object.fromEntries(
    Object.entries(system).filter(([k]) => wants(systemNames, k)),
  );
  const chosen = Object.fromEntries(
    Object.entries(message.messageAttributes).filter(([k]) => wants(attributeNames, k)),
  );
  const md5Attrs = md5OfAttributes(chosen);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5Hex(message.body),
    Body: message.body,
    ...(Object.keys(Attributes).length > 0 ? { Attributes } : {}),
    ...(md5Attrs === undefined
      ? {}
      : { MessageAttributes: chosen, MD5OfMessageAttributes: md5Attrs }),
  };
};

/** The in-flight message a receipt handle names (ReceiptHandleIsInvalid when malformed). */
export const messageByHandle = (queue: Queue, handle: string): SqsMessage | undefined => {
  let decoded: { q?: string; m?: string };
  try {
    decoded = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as {
      q?: string;
      m?: string;
    };
  } catch {
    decoded = {};
  }
  if (decoded.q !== queue.name || typeof decoded.m !== 'string') {
    throw sqsError(
      'ReceiptHandleIsInvalid',
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      404,
    );
  }
  return queue.messages.find((m) => m.messageId === decoded.m && m.receiptHandle === handle);
};

/** DeleteMessage. */
export const deleteMessage = (queue: Queue, handle: string): void => {
  const message = messageByHandle(queue, handle);
  // A handle for a message already deleted (or received again since) is accepted silently, as SQS does.
  if (message) queue.messages.splice(queue.messages.indexOf(message), 1);
};
