import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { type ChatLimits, formatChatNotification } from './chat.ts';
import { formatEmail } from './email.ts';
import { clip, utf8Bytes } from './text.ts';

/** The parameters of one SNS Publish call. */
interface SnsPublication {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, MessageAttributeValue>;
}

/**
 * SNS accepts 256 KiB (262,144 bytes) per message, counted in UTF-8 bytes over the message and
 * every part of every message attribute: name, data type and value (API reference,
 * MessageAttributeValue; the topic's MaximumMessageSize).
 */
const SNS_MAX_BYTES = 262_144;

/** The bytes SNS counts for a publication (the subject is limited apart, to 100 characters). */
const snsBytes = (publication: Pick<SnsPublication, 'Message' | 'MessageAttributes'>): number =>
  utf8Bytes(publication.Message) +
  Object.entries(publication.MessageAttributes).reduce(
    (sum, [name, value]) =>
      sum + utf8Bytes(name) + utf8Bytes(value.DataType ?? '') + utf8Bytes(value.StringValue ?? ''),
    0,
  );

// SNS rejects subjects over 100 characters, with newlines, or outside printable ASCII.
const toSubject = (message: AlertMessage): string => {
  const ascii = `[${message.severity.toUpperCase()}] ${message.title}`
    .replace(/[\u2192]/g, '->')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
};

/** The message with each of its texts clipped to `max` characters and its lists shortened. */
const shrink = (message: AlertMessage, max: number): AlertMessage => ({
  ...message,
  id: clip(message.id, Math.max(max, 256)),
  title: clip(message.title, Math.max(max, 256)),
  eventType: clip(message.eventType, 256),
  threadId: clip(message.threadId, 256),
  summary: clip(message.summary, max),
  fields: message.fields.map((f) => ({ label: clip(f.label, 64), value: clip(f.value, max) })),
  details: message.details.slice(0, Math.max(1, Math.floor(max / 64))).map((d) => clip(d, max)),
  nextSteps: message.nextSteps.map((s) => clip(s, max)),
  links: message.links.map((l) => ({ label: clip(l.label, 64), url: clip(l.url, 2_048) })),
  resources: message.resources.map((r) => clip(r, 2_048)),
});

const build = (
  message: AlertMessage,
  attributes: Record<string, MessageAttributeValue>,
  chat?: ChatLimits,
): SnsPublication => ({
  Subject: toSubject(message),
  MessageStructure: 'json',
  Message: JSON.stringify({
    default: JSON.stringify(formatChatNotification(message, chat)),
    email: formatEmail(message),
  }),
  MessageAttributes: attributes,
});

// Each step keeps less of the longest texts; the last fits any message a renderer can produce.
const STEPS = [4_096, 1_024, 256, 64];

/**
 * One publication serves every subscriber: `default` (chat applications, SQS, Lambda, HTTPS)
 * carries the Amazon Q Developer custom notification, `email` a readable text. SNS sends message
 * attributes only with the String structure (sns-message-attributes.html), so subscriptions filter
 * with FilterPolicyScope MessageBody on the notification's metadata.additionalContext (severity,
 * kind, cluster, service, eventType), which holds the same values (README, "Filtering the alert
 * topic"). A message that would exceed SNS's size is shortened, its longest texts first.
 */
const formatSnsPublication = (message: AlertMessage): SnsPublication => {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    if (value) attributes[name] = { DataType: 'String', StringValue: clip(value, 256) };
  }
  let publication = build(message, attributes);
  for (const max of STEPS) {
    if (snsBytes(publication) <= SNS_MAX_BYTES) return publication;
    publication = build(shrink(message, max), attributes, {
      title: 250,
      description: Math.min(8_000, max * 2),
      text: max,
    });
  }
  return publication;
};

export { formatSnsPublication, SNS_MAX_BYTES, type SnsPublication, snsBytes };
