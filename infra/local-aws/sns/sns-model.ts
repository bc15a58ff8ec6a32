import { errorOf } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import { uuid } from '../core/ids.ts';
import { isObject, type JsonObject, readInput } from '../core/input.ts';
import type { Operation } from '../server/service-types.ts';
import {
  confirmationRequest,
  type DeliveryTargets,
  deliver,
  passesFilter,
  type SnsDelivery,
} from './delivery.ts';
import { checkAttributes, checkSubject, parseStructured } from './publish-checks.ts';
import { subscriptionOperations } from './subscription-operations.ts';
import { SnsSubscriptions } from './subscriptions.ts';

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
const notFound = errorOf('NotFound', 404);
const validation = errorOf('ValidationError');

const MAX_MESSAGE_BYTES = 262_144;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** In-memory SNS: topics, subscriptions, every published message and every delivery. */
export class SnsModel {
  readonly #region: string;
  readonly #accountId: string;
  readonly #clock: SimClock;
  readonly #topics = new Map<string, SnsTopic>();
  readonly #messages: PublishedMessage[] = [];
  readonly #deliveries: SnsDelivery[] = [];
  readonly #targets: DeliveryTargets | undefined;
  readonly #track: (work: Promise<unknown>) => void;
  #sequence = 0n;

  /** Subscriptions of every topic (Subscribe, ConfirmSubscription, attributes). */
  readonly subscriptions: SnsSubscriptions;

  /** Wire operations (decoded inputs as the SDK's command inputs). */
  readonly operations: Record<string, Operation>;

  constructor(options: {
    region: string;
    accountId: string;
    clock: SimClock;
    /** The queues and functions subscriptions deliver to (recorded only when absent). */
    targets?: DeliveryTargets;
    /** Counts asynchronous deliveries (Lambda invocations) as work to settle. */
    track?: (work: Promise<unknown>) => void;
  }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
    this.#targets = options.targets;
    this.#track = options.track ?? (() => undefined);
    this.subscriptions = new SnsSubscriptions({
      accountId: this.#accountId,
      topicExists: (arn) => this.#topics.has(arn),
      onPending: (subscription) =>
        this.#deliveries.push(
          confirmationRequest(
            subscription,
            { region: this.#region, now: this.#clock.now() },
            uuid(),
          ),
        ),
    });
    this.operations = {
      CreateTopic: (input) => this.#createTopicOp(input),
      DeleteTopic: (input) => {
        this.#topic(readInput(input, validation).str('TopicArn'));
        this.#topics.delete(String(input.TopicArn));
        this.subscriptions.removeTopic(String(input.TopicArn));
        return {};
      },
      ...subscriptionOperations(this.subscriptions, (arn) => this.#topic(arn).arn),
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

  /**
   * What endpoints received, oldest first: notifications that passed each subscription's filter
   * policy and SubscriptionConfirmation requests, optionally for one subscription (ARN) or
   * endpoint (queue ARN, function ARN, URL or address).
   */
  deliveries(subscriptionOrEndpoint?: string): SnsDelivery[] {
    return this.#deliveries.filter(
      (d) =>
        subscriptionOrEndpoint === undefined ||
        d.subscriptionArn === subscriptionOrEndpoint ||
        d.endpoint === subscriptionOrEndpoint,
    );
  }

  // Every confirmed subscription of the topic whose filter policy passes the message gets it.
  #fanOut(message: PublishedMessage): void {
    const ctx = { region: this.#region, now: message.at };
    const targets: DeliveryTargets = this.#targets ?? {
      sqs: () => undefined,
      lambda: async () => undefined,
    };
    for (const subscription of this.subscriptions.list(message.topicArn)) {
      if (subscription.pending || !passesFilter(subscription, message)) continue;
      this.#deliveries.push(deliver(subscription, message, targets, ctx, this.#track));
    }
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
    this.#fanOut(published);
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
