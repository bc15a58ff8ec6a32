import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { AlertMessage } from '#kernel/alerts/model.ts';
import { formatChatNotification } from './chat.ts';
import { formatEmail } from './email.ts';

/** The parameters of one SNS Publish call. */
interface SnsPublication {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, MessageAttributeValue>;
}

// SNS rejects subjects over 100 characters, with newlines, or outside printable ASCII.
const toSubject = (message: AlertMessage): string => {
  const ascii = `[${message.severity.toUpperCase()}] ${message.title}`
    .replace(/[\u2192]/g, '->')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
};

/**
 * One publication serves every subscriber: `default` (chat applications, SQS, Lambda, HTTPS)
 * carries the Amazon Q Developer custom notification, `email` a readable text. The message
 * attributes let subscriptions filter on severity, kind, cluster and service.
 */
const formatSnsPublication = (message: AlertMessage): SnsPublication => {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    if (value) attributes[name] = { DataType: 'String', StringValue: value };
  }
  return {
    Subject: toSubject(message),
    MessageStructure: 'json',
    Message: JSON.stringify({
      default: JSON.stringify(formatChatNotification(message)),
      email: formatEmail(message),
    }),
    MessageAttributes: attributes,
  };
};

export { formatSnsPublication, type SnsPublication };
