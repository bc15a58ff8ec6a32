import { errorOf } from '../core/aws-error.ts';
import { randomHex, uuid } from '../core/ids.ts';
import { type JsonObject, readInput } from '../core/input.ts';
import {
  type CompiledFilterPolicy,
  compileFilterPolicy,
  FilterPolicyError,
  type FilterPolicyScope,
} from './filter-policy.ts';

/** A subscription, as Subscribe made it and SetSubscriptionAttributes changed it. */
export interface SnsSubscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** Attributes set on it (FilterPolicy, FilterPolicyScope, RawMessageDelivery, ...). */
  attributes: Record<string, string>;
  /** http, https, email and email-json wait for ConfirmSubscription and get nothing until then. */
  pending: boolean;
  token: string;
  policy?: CompiledFilterPolicy;
}

const invalidParameter = errorOf('InvalidParameter');
const notFound = errorOf('NotFound', 404);
const validation = errorOf('ValidationError');

// API_Subscribe: the protocols SNS delivers to.
const PROTOCOLS = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);
const CONFIRMED_BY_ENDPOINT = new Set(['http', 'https', 'email', 'email-json']);
// sns-large-payload-raw-message-delivery.html: raw delivery exists for SQS, HTTP/S and Firehose.
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);
// API_SetSubscriptionAttributes: the attributes a subscription takes.
const ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

const checkEndpoint = (protocol: string, endpoint: string): void => {
  const bad = (what: string) => invalidParameter(`Invalid parameter: ${what}`);
  if (protocol === 'sqs' && !/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[\w-]+(\.fifo)?$/.test(endpoint))
    throw bad('SQS endpoint ARN');
  if (
    protocol === 'lambda' &&
    !/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(endpoint)
  )
    throw bad('Lambda endpoint ARN');
  if (
    (protocol === 'http' || protocol === 'https') &&
    !endpoint.toLowerCase().startsWith(`${protocol}://`)
  )
    throw bad('Endpoint must match the specified protocol');
  if ((protocol === 'email' || protocol === 'email-json') && !/^[^@\s]+@[^@\s]+$/.test(endpoint))
    throw bad('Email address');
  if (protocol === 'sms' && !/^\+?[1-9]\d{1,14}$/.test(endpoint)) throw bad('Invalid SMS endpoint');
};

/** Topics' subscriptions: Subscribe, ConfirmSubscription, the attribute calls and listing. */
export class SnsSubscriptions {
  readonly #accountId: string;
  readonly #topicExists: (arn: string) => boolean;
  readonly #onPending: (subscription: SnsSubscription) => void;
  readonly #subscriptions = new Map<string, SnsSubscription>();

  constructor(options: {
    accountId: string;
    topicExists: (arn: string) => boolean;
    /** Called when a subscription waits for confirmation (SNS sends its confirmation message). */
    onPending: (subscription: SnsSubscription) => void;
  }) {
    this.#accountId = options.accountId;
    this.#topicExists = options.topicExists;
    this.#onPending = options.onPending;
  }

  /** Subscribe; returns the ARN, or "pending confirmation" as SNS does unless asked for the ARN. */
  subscribe(input: JsonObject): { SubscriptionArn: string } {
    const read = readInput(input, validation);
    const topicArn = read.str('TopicArn');
    const protocol = read.str('Protocol');
    const endpoint = read.optStr('Endpoint') ?? '';
    if (!this.#topicExists(topicArn)) throw notFound('Topic does not exist');
    if (!PROTOCOLS.has(protocol))
      throw invalidParameter(
        `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`,
      );
    checkEndpoint(protocol, endpoint);
    const requested = Object.fromEntries(
      Object.entries(read.optObj('Attributes') ?? {}).map(([k, v]) => [k, String(v)]),
    );
    const existing = [...this.#subscriptions.values()].find(
      (s) => s.topicArn === topicArn && s.protocol === protocol && s.endpoint === endpoint,
    );
    if (existing) {
      const differs = Object.entries(requested).some(([k, v]) => existing.attributes[k] !== v);
      if (differs)
        throw invalidParameter(
          'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
        );
      return { SubscriptionArn: this.#shownArn(existing, read.optBool('ReturnSubscriptionArn')) };
    }
    const subscription: SnsSubscription = {
      arn: `${topicArn}:${uuid()}`,
      topicArn,
      protocol,
      endpoint,
      owner: this.#accountId,
      attributes: {},
      pending: CONFIRMED_BY_ENDPOINT.has(protocol),
      token: randomHex(128),
    };
    const order = [
      'FilterPolicyScope',
      ...Object.keys(requested).filter((k) => k !== 'FilterPolicyScope'),
    ];
    for (const name of order) {
      const value = requested[name];
      if (value !== undefined)
        this.#apply(subscription, name, value, 'Invalid parameter: Attributes Reason: ');
    }
    this.#subscriptions.set(subscription.arn, subscription);
    if (subscription.pending) this.#onPending(subscription);
    return { SubscriptionArn: this.#shownArn(subscription, read.optBool('ReturnSubscriptionArn')) };
  }

  /** ConfirmSubscription with the token SNS sent to the endpoint. */
  confirm(input: JsonObject): { SubscriptionArn: string } {
    const read = readInput(input, validation);
    const topicArn = read.str('TopicArn');
    const token = read.str('Token');
    if (!this.#topicExists(topicArn)) throw notFound('Topic does not exist');
    const found = [...this.#subscriptions.values()].find(
      (s) => s.topicArn === topicArn && s.token === token,
    );
    if (found === undefined) throw invalidParameter('Invalid parameter: Token');
    found.pending = false;
    return { SubscriptionArn: found.arn };
  }

  /** Confirms as the endpoint's owner would by following the link (a test's shortcut). */
  confirmEndpoint(endpoint: string): SnsSubscription[] {
    const matched = [...this.#subscriptions.values()].filter(
      (s) => s.endpoint === endpoint && s.pending,
    );
    for (const s of matched) s.pending = false;
    return matched;
  }

  unsubscribe(arn: string): void {
    this.#subscriptions.delete(arn);
  }

  /** Drops a deleted topic's subscriptions. */
  removeTopic(topicArn: string): void {
    for (const s of [...this.#subscriptions.values()])
      if (s.topicArn === topicArn) this.#subscriptions.delete(s.arn);
  }

  get(arn: string): SnsSubscription {
    const found = this.#subscriptions.get(arn);
    if (found === undefined) throw notFound('Subscription does not exist');
    return found;
  }

  /** All subscriptions, or a topic's, in creation order. */
  list(topicArn?: string): SnsSubscription[] {
    return [...this.#subscriptions.values()].filter(
      (s) => topicArn === undefined || s.topicArn === topicArn,
    );
  }

  /** GetSubscriptionAttributes' answer. */
  attributesOf(arn: string): Record<string, string> {
    const s = this.get(arn);
    const scope: Record<string, string> =
      s.attributes.FilterPolicy === undefined ? {} : { FilterPolicyScope: 'MessageAttributes' };
    return {
      Owner: s.owner,
      RawMessageDelivery: 'false',
      TopicArn: s.topicArn,
      Endpoint: s.endpoint,
      Protocol: s.protocol,
      PendingConfirmation: String(s.pending),
      ConfirmationWasAuthenticated: String(!s.pending),
      SubscriptionArn: s.arn,
      SubscriptionPrincipal: `arn:aws:iam::${this.#accountId}:root`,
      ...scope,
      ...s.attributes,
    };
  }

  /** SetSubscriptionAttributes. */
  setAttribute(input: JsonObject): void {
    const read = readInput(input, validation);
    const s = this.get(read.str('SubscriptionArn'));
    const name = read.str('AttributeName');
    if (!ATTRIBUTES.has(name)) throw invalidParameter('Invalid parameter: AttributeName');
    this.#apply(s, name, read.optStr('AttributeValue') ?? '', 'Invalid parameter: ');
  }

  #shownArn(s: SnsSubscription, returnArn: boolean | undefined): string {
    return s.pending && returnArn !== true ? 'pending confirmation' : s.arn;
  }

  #apply(s: SnsSubscription, name: string, value: string, prefix: string): void {
    if (!ATTRIBUTES.has(name)) throw invalidParameter(`${prefix}Unknown attribute: ${name}`);
    if (name === 'RawMessageDelivery') {
      if (!/^(true|false)$/i.test(value))
        throw invalidParameter(
          `${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`,
        );
      if (value.toLowerCase() === 'true' && !RAW_PROTOCOLS.has(s.protocol))
        throw invalidParameter(
          `${prefix}Delivery protocol [${s.protocol}] does not support raw message delivery.`,
        );
      s.attributes[name] = value.toLowerCase();
      return;
    }
    if (name === 'FilterPolicyScope') {
      if (value !== 'MessageAttributes' && value !== 'MessageBody')
        throw invalidParameter(
          `${prefix}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
        );
      if (s.attributes.FilterPolicy !== undefined)
        s.policy = this.#compile(s.attributes.FilterPolicy, value, prefix);
      s.attributes[name] = value;
      return;
    }
    if (name === 'FilterPolicy') {
      if (value === '') {
        delete s.attributes.FilterPolicy;
        delete s.policy;
        return;
      }
      const scope = (s.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
      s.policy = this.#compile(value, scope, `${prefix}FilterPolicy: `);
      s.attributes[name] = value;
      return;
    }
    s.attributes[name] = value;
  }

  #compile(text: string, scope: string, prefix: string): CompiledFilterPolicy {
    try {
      return compileFilterPolicy(text, scope as FilterPolicyScope);
    } catch (error) {
      if (!(error instanceof FilterPolicyError)) throw error;
      // SNS words the scope conflict without the attribute's name.
      const scoped = error.message.startsWith('Filter policy scope');
      throw invalidParameter(
        `${scoped ? prefix.replace(/FilterPolicy: $/, '') : prefix}${error.message}`,
      );
    }
  }
}
