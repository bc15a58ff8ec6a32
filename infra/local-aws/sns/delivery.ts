import { createHash } from 'node:crypto';
import { matchesFilterPolicy } from './filter-policy.ts';
import { attributeView, bodyView } from './filter-view.ts';
import type { PublishedMessage, SnsMessageAttribute } from './sns-model.ts';
import type { SnsSubscription } from './subscriptions.ts';

/** What one subscription's endpoint received (or was meant to receive). */
export interface SnsDelivery {
  subscriptionArn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  /** The published message's id (the confirmation's own id for a SubscriptionConfirmation). */
  messageId: string;
  type: 'Notification' | 'SubscriptionConfirmation';
  at: Date;
  /** Exactly what the endpoint gets: the JSON envelope, the raw message, or a Lambda event. */
  body: string;
  /** Raw delivery to SQS: the message attributes as SQS message attributes. */
  messageAttributes?: Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: string }
  >;
  /** HTTP/S: the headers SNS sends with the POST. */
  headers?: Record<string, string>;
  status: 'delivered' | 'failed';
  /** Why a delivery failed (client-side errors SNS discards). */
  error?: string;
}

/** Where deliveries go: the queue, function or recording endpoint behind a subscription. */
export interface DeliveryTargets {
  /** Sends to an SQS queue by ARN; throws when the queue refuses the message. */
  sqs(queueArn: string, body: string, attributes: SnsDelivery['messageAttributes']): void;
  /** Invokes a function asynchronously (as SNS does); the promise settles when it has run. */
  lambda(functionArn: string, event: unknown): Promise<unknown>;
}

interface Context {
  region: string;
  now: Date;
}

const ISO = (at: Date): string => at.toISOString();
const signature = (text: string): string => createHash('sha512').update(text).digest('base64');

// The protocol key a MessageStructure=json body is read at (API_Publish), `default` otherwise.
const messageFor = (message: PublishedMessage, protocol: string): string =>
  message.messages[protocol] ?? message.messages.default ?? message.message;

/**
 * The attributes that travel with a message: "Message attributes are sent only when the message
 * structure is String, not JSON" (sns-message-attributes.html). The same attributes are the ones
 * an attribute-scoped filter policy sees, so a JSON-structured message carries none to filter on
 * (see README, "SNS delivery and filtering").
 */
export const sentAttributes = (message: PublishedMessage): Record<string, SnsMessageAttribute> =>
  message.messageStructure === 'json' ? {} : message.messageAttributes;

/** Whether the subscription's filter policy lets the message through. */
export const passesFilter = (subscription: SnsSubscription, message: PublishedMessage): boolean => {
  const policy = subscription.policy;
  if (policy === undefined) return true;
  if (policy.scope === 'MessageAttributes')
    return matchesFilterPolicy(policy, attributeView(sentAttributes(message)));
  const view = bodyView(messageFor(message, subscription.protocol));
  return view !== undefined && matchesFilterPolicy(policy, view);
};

const envelopeAttributes = (attributes: Record<string, SnsMessageAttribute>) =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      { Type: a.DataType, Value: a.BinaryValue ?? a.StringValue ?? '' },
    ]),
  );

// SNS writes its JSON envelope with two-space indentation and " : " separators.
const prettyEnvelope = (fields: Record<string, unknown>): string =>
  `{\n${Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`)
    .join(',\n')}\n}`;

/** The JSON envelope of sns-message-and-json-formats.html (HTTP/S, SQS, email-json). */
const envelope = (s: SnsSubscription, message: PublishedMessage, ctx: Context): string => {
  const attributes = sentAttributes(message);
  const text = messageFor(message, s.protocol);
  const host = `https://sns.${ctx.region}.amazonaws.com`;
  return prettyEnvelope({
    Type: 'Notification',
    MessageId: message.messageId,
    ...(message.sequenceNumber === undefined ? {} : { SequenceNumber: message.sequenceNumber }),
    TopicArn: message.topicArn,
    Subject: message.subject,
    Message: text,
    Timestamp: ISO(message.at),
    SignatureVersion: '1',
    Signature: signature(`${message.messageId}${text}`),
    SigningCertURL: `${host}/SimpleNotificationService-${createHash('md5').update(ctx.region).digest('hex')}.pem`,
    UnsubscribeURL: `${host}/?Action=Unsubscribe&SubscriptionArn=${s.arn}`,
    MessageAttributes:
      Object.keys(attributes).length === 0 ? undefined : envelopeAttributes(attributes),
  });
};

/**
 * The event SNS invokes a function with (Lambda Developer Guide, with-sns.html): `Subject` null
 * when absent, `SigningCertUrl`/`UnsubscribeUrl` spelled so, and Number or String.Array attributes
 * passed "as the String data type" (sns-message-attributes.html).
 */
export const lambdaEvent = (
  s: SnsSubscription,
  message: PublishedMessage,
  ctx: Context,
): unknown => {
  const text = messageFor(message, 'lambda');
  const host = `https://sns.${ctx.region}.amazonaws.com`;
  const attributes = Object.fromEntries(
    Object.entries(sentAttributes(message)).map(([name, a]) => [
      name,
      {
        Type: a.DataType.startsWith('Binary') ? 'Binary' : 'String',
        Value: a.BinaryValue ?? a.StringValue ?? '',
      },
    ]),
  );
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: s.arn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: text,
          Timestamp: ISO(message.at),
          SignatureVersion: '1',
          Signature: signature(`${message.messageId}${text}`),
          SigningCertUrl: `${host}/SimpleNotificationService-${createHash('md5').update(ctx.region).digest('hex')}.pem`,
          UnsubscribeUrl: `${host}/?Action=Unsubscribe&SubscriptionArn=${s.arn}`,
          MessageAttributes: attributes,
        },
      },
    ],
  };
};

const httpHeaders = (s: SnsSubscription, messageId: string, type: string, raw: boolean) => ({
  'content-type': 'text/plain; charset=UTF-8',
  'user-agent': 'Amazon Simple Notification Service Agent',
  'x-amz-sns-message-type': type,
  'x-amz-sns-message-id': messageId,
  'x-amz-sns-topic-arn': s.topicArn,
  ...(type === 'Notification' ? { 'x-amz-sns-subscription-arn': s.arn } : {}),
  ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
});

/** Delivers one published message to one subscription; returns the record of it. */
export const deliver = (
  s: SnsSubscription,
  message: PublishedMessage,
  targets: DeliveryTargets,
  ctx: Context,
  track: (work: Promise<unknown>) => void,
): SnsDelivery => {
  const raw = s.attributes.RawMessageDelivery === 'true';
  const base = {
    subscriptionArn: s.arn,
    topicArn: s.topicArn,
    protocol: s.protocol,
    endpoint: s.endpoint,
    messageId: message.messageId,
    type: 'Notification' as const,
    at: ctx.now,
  };
  const attributes = sentAttributes(message);
  if (s.protocol === 'sqs') {
    const body = raw ? messageFor(message, 'sqs') : envelope(s, message, ctx);
    const sqsAttributes = raw && Object.keys(attributes).length > 0 ? attributes : undefined;
    const record: SnsDelivery = {
      ...base,
      body,
      ...(sqsAttributes === undefined ? {} : { messageAttributes: sqsAttributes }),
      status: 'delivered',
    };
    // sns-message-attributes.html: more than 10 attributes to a raw SQS subscription "will be
    // discarded as client side errors".
    if (raw && Object.keys(attributes).length > 10)
      return {
        ...record,
        status: 'failed',
        error: 'more than 10 message attributes for raw delivery to SQS',
      };
    try {
      targets.sqs(s.endpoint, body, sqsAttributes);
      return record;
    } catch (error) {
      return { ...record, status: 'failed', error: (error as Error).message };
    }
  }
  if (s.protocol === 'lambda') {
    const event = lambdaEvent(s, message, ctx);
    track(targets.lambda(s.endpoint, event).catch(() => undefined));
    return { ...base, body: JSON.stringify(event), status: 'delivered' };
  }
  if (s.protocol === 'http' || s.protocol === 'https') {
    const body = raw ? messageFor(message, s.protocol) : envelope(s, message, ctx);
    return {
      ...base,
      body,
      headers: httpHeaders(s, message.messageId, 'Notification', raw),
      status: 'delivered',
    };
  }
  const body =
    s.protocol === 'email-json' ? envelope(s, message, ctx) : messageFor(message, s.protocol);
  return { ...base, body, status: 'delivered' };
};

/** The SubscriptionConfirmation SNS sends an HTTP/S or email endpoint (sns-message-and-json-formats.html). */
export const confirmationRequest = (
  s: SnsSubscription,
  ctx: Context,
  messageId: string,
): SnsDelivery => {
  const host = `https://sns.${ctx.region}.amazonaws.com`;
  const subscribeUrl = `${host}/?Action=ConfirmSubscription&TopicArn=${s.topicArn}&Token=${s.token}`;
  const body = prettyEnvelope({
    Type: 'SubscriptionConfirmation',
    MessageId: messageId,
    Token: s.token,
    TopicArn: s.topicArn,
    Message: `You have chosen to subscribe to the topic ${s.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl,
    Timestamp: ISO(ctx.now),
    SignatureVersion: '1',
    Signature: signature(`${messageId}${s.token}`),
    SigningCertURL: `${host}/SimpleNotificationService-${createHash('md5').update(ctx.region).digest('hex')}.pem`,
  });
  return {
    subscriptionArn: s.arn,
    topicArn: s.topicArn,
    protocol: s.protocol,
    endpoint: s.endpoint,
    messageId,
    type: 'SubscriptionConfirmation',
    at: ctx.now,
    body,
    ...(s.protocol.startsWith('http')
      ? { headers: httpHeaders(s, messageId, 'SubscriptionConfirmation', false) }
      : {}),
    status: 'delivered',
  };
};
