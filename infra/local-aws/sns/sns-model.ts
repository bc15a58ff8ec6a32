import { errorOf } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import { uuid } from '../core/ids.ts';
import { isObject, type JsonObject, readInput } from '../core/input.ts';
import type { Operation } from '../server/service-types.ts';

/** A message attribute as SNS takes it. */
export interface SnsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** A topic. */
export interface SnsTopic {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: { Key: string; Value: string }[];
}

/** One message accepted by Publish. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageStructure?: string;
  /** Per-protocol bodies: with MessageStructure=json the parsed object, else `{ default: message }`. */
  messages: Record<string, string>;
  messageAttributes: Record<string, SnsMessageAttribute>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  at: Date;
}

const invalidParameter = errorOf('InvalidParameter');
const invalidValue = errorOf('ParameterValueInvalid');
const notFound = errorOf('NotFound', 404);
const validation = errorOf('ValidationError');

const MAX_MESSAGE_BYTES = 262_144;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

const checkSubject = (subject: string | undefined): void => {
  if (subject === undefined) return;
  // Current SNS: UTF-8, no line breaks or control characters, at most 100 characters.
  if (subject.trim() === '' || [...subject].length > 100 || /[\p{Cc}\u2028\u2029]/u.test(subject)) {
    throw invalidParameter('Invalid parameter: Subject');
  }
};

// The transport protocols (and mobile platforms) a MessageStructure=json body can address.
const PROTOCOL_KEYS = new Set([
  'default',
  'email',
  'email-json',
  'http',
  'https',
  'sqs',
  'sms',
  'lambda',
  'firehose',
  'application',
  'APNS',
  'APNS_SANDBOX',
  'APNS_VOIP',
  'APNS_VOIP_SANDBOX',
  'MACOS',
  'MACOS_SANDBOX',
  'GCM',
  'ADM',
  'BAIDU',
  'MPNS',
  'WNS',
]);

const parseStructured = (message: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  }
  if (!isObject(parsed) || typeof parsed.default !== 'string') {
    throw invalidParameter(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
  }
  // API_Publish: "Keys in the JSON object that correspond to supported transport protocols must
  // have simple JSON string values ... Keys that do not correspond to supported transport protocols
  // are ignored ... Failure to parse or validate any key or value in the message will cause the
  // Publish call to return an error (no partial delivery)."
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!PROTOCOL_KEYS.has(key)) continue;
    if (typeof value !== 'string')
      throw invalidParameter(
        `Invalid parameter: Message Structure - JSON message body failed to parse: the value of ${key} is not a string`,
      );
    out[key] = value;
  }
  return out;
};

const checkAttributes = (raw: JsonObject | undefined): Record<string, SnsMessageAttribute> => {
  const out: Record<string, SnsMessageAttribute> = {};
  // SNS sets no count: attributes only count toward the message size. (Only raw message
  // delivery to SQS subscriptions stops at 10: sns-message-attributes.html.)
  const entries = Object.entries(raw ?? {});
  for (const [name, value] of entries) {
    const attr = isObject(value) ? value : {};
    const dataType = typeof attr.DataType === 'string' ? attr.DataType : '';
    if (!/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
      throw invalidValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const stringValue = typeof attr.StringValue === 'string' ? attr.StringValue : undefined;
    const binaryValue = typeof attr.BinaryValue === 'string' ? attr.BinaryValue : undefined;
    const kind = dataType.split('.')[0] ?? '';
    if (kind === 'Binary' ? !binaryValue : !stringValue) {
      throw invalidValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${kind}'.`,
      );
    }
    if (kind === 'Number' && !Number.isFinite(Number(stringValue))) {
      throw invalidValue(`Could not cast message attribute '${name}' value to number.`);
    }
    out[name] = {
      DataType: dataType,
      ...(stringValue === undefined ? {} : { StringValue: stringValue }),
      ...(binaryValue === undefined ? {} : { BinaryValue: binaryValue }),
    };
  }
  return out;
};

/** In-memory SNS: topics and every published message. */
export class SnsModel {
  readonly #region: string;
  readonly #accountId: string;
  readonly #clock: SimClock;
  readonly #topics = new Map<string, SnsTopic>();
  readonly #messages: PublishedMessage[] = [];
  #sequence = 0n;

  /** Wire operations (decoded inputs as the SDK's command inputs). */
  readonly operations: Record<string, Operation>;

  constructor(options: { region: string; accountId: string; clock: SimClock }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
    this.operations = {
      CreateTopic: (input) => this.#createTopicOp(input),
      DeleteTopic: (input) => {
        this.#topic(readInput(input, validation).str('TopicArn'));
        this.#topics.delete(String(input.TopicArn));
        return {};
      },
      GetTopicAttributes: (input) => ({
        Attributes: this.#topic(readInput(input, validation).str('TopicArn')).attributes,
      }),
      ListTopics: () => ({ Topics: [...this.#topics.keys()].map((TopicArn) => ({ TopicArn })) }),
      Publish: (input) => this.publish(input),
    };
  }

  /** Creates (or returns) a topic; returns its ARN. */
  createTopic(name: string, attributes: Record<string, string> = {}): string {
    if (!TOPIC_NAME.test(name.replace(/\.fifo$/, ''))) {
      throw invalidParameter('Invalid parameter: Topic Name');
    }
    const arn = `arn:aws:sns:${this.#region}:${this.#accountId}:${name}`;
    const existing = this.#topics.get(arn);
    if (existing) return existing.arn;
    const fifo = name.endsWith('.fifo');
    if (fifo !== (attributes.FifoTopic === 'true')) {
      throw invalidParameter(
        'Invalid parameter: Fifo Topic names must end with .fifo and must be made in conjunction with the FifoTopic attribute',
      );
    }
    this.#topics.set(arn, {
      arn,
      name,
      tags: [],
      attributes: {
        TopicArn: arn,
        Owner: this.#accountId,
        DisplayName: '',
        SubscriptionsConfirmed: '0',
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
        EffectiveDeliveryPolicy:
          '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3}}}',
        ...attributes,
      },
    });
    return arn;
  }

  /** Published messages, optionally for one topic. */
  messages(topicArn?: string): PublishedMessage[] {
    return this.#messages.filter((m) => topicArn === undefined || m.topicArn === topicArn);
  }

  /** Existing topics. */
  topics(): SnsTopic[] {
    return [...this.#topics.values()];
  }

  /** Publish, validated the way SNS validates it. */
  publish(input: JsonObject): { MessageId: string; SequenceNumber?: string } {
    const read = readInput(input, validation);
    const topicArn = read.optStr('TopicArn') ?? read.optStr('TargetArn');
    if (topicArn === undefined) {
      throw invalidParameter(
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    }
    const message = read.str('Message');
    if (message === '') throw invalidParameter('Invalid parameter: Empty message');
    const subject = read.optStr('Subject');
    checkSubject(subject);
    const structure = read.optStr('MessageStructure');
    if (structure !== undefined && structure !== 'json') {
      throw invalidParameter('Invalid parameter: MessageStructure');
    }
    const messages = structure === 'json' ? parseStructured(message) : { default: message };
    const attributes = checkAttributes(read.optObj('MessageAttributes'));
    const size =
      Buffer.byteLength(message) +
      Object.entries(attributes).reduce(
        (sum, [k, v]) =>
          sum +
          Buffer.byteLength(k) +
          Buffer.byteLength(v.DataType) +
          Buffer.byteLength(v.StringValue ?? v.BinaryValue ?? ''),
        0,
      );
    if (size > MAX_MESSAGE_BYTES) throw invalidParameter('Invalid parameter: Message too long');
    const topic = this.#topic(topicArn);
    const fifo = topic.name.endsWith('.fifo');
    const groupId = read.optStr('MessageGroupId');
    const dedupId = read.optStr('MessageDeduplicationId');
    if (fifo && groupId === undefined) {
      throw invalidParameter(
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      );
    }
    if (!fifo && dedupId !== undefined) {
      throw invalidParameter(
        'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    const sequenceNumber = fifo ? `${++this.#sequence}`.padStart(20, '1') : undefined;
    const published: PublishedMessage = {
      messageId: uuid(),
      topicArn: topic.arn,
      message,
      messages,
      messageAttributes: attributes,
      at: this.#clock.now(),
      ...(subject === undefined ? {} : { subject }),
      ...(structure === undefined ? {} : { messageStructure: structure }),
      ...(groupId === undefined ? {} : { messageGroupId: groupId }),
      ...(dedupId === undefined ? {} : { messageDeduplicationId: dedupId }),
      ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
    };
    this.#messages.push(published);
    return sequenceNumber === undefined
      ? { MessageId: published.messageId }
      : { MessageId: published.messageId, SequenceNumber: sequenceNumber };
  }

  #createTopicOp(input: JsonObject): { TopicArn: string } {
    const read = readInput(input, validation);
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(read.optObj('Attributes') ?? {})) {
      if (typeof v === 'string') attributes[k] = v;
    }
    const arn = this.createTopic(read.str('Name'), attributes);
    const tags = (read.optArr('Tags') ?? []).filter(isObject);
    const topic = this.#topics.get(arn);
    if (topic) {
      for (const tag of tags) {
        topic.tags.push({ Key: String(tag.Key), Value: String(tag.Value ?? '') });
      }
    }
    return { TopicArn: arn };
  }

  #topic(arn: string): SnsTopic {
    const topic = this.#topics.get(arn);
    if (topic === undefined) throw notFound('Topic does not exist');
    return topic;
  }
}
