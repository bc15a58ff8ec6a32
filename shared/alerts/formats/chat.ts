import type { AlertMessage } from '#kernel/alerts/model.ts';
import { clip, SEVERITY_EMOJI } from './emoji.ts';

/**
 * Amazon Q Developer in chat applications' custom notification (version 1.0, source "custom"),
 * so an SNS topic subscribed by a chat channel renders it in Slack or Teams with no code of ours.
 */
interface ChatNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** Builds the custom notification for a message; its id is the alert's deduplication key. */
const formatChatNotification = (message: AlertMessage): ChatNotification => {
  const facts = message.fields.map((f) => `*${f.label}:* ${f.value}`);
  const links = message.links.map((l) => `${l.label}: ${l.url}`);
  const description = [message.summary, '', ...facts, '', ...message.details, '', ...links]
    .join('\n')
    .trim();
  return {
    version: '1.0',
    source: 'custom',
    id: message.id,
    content: {
      textType: 'client-markdown',
      title: clip(`${SEVERITY_EMOJI[message.severity]} ${message.title}`, 250),
      description: clip(description, 8000),
      nextSteps: message.nextSteps.slice(0, 10),
      keywords: [message.severity, message.attributes.cluster, message.attributes.service]
        .filter((k): k is string => !!k)
        .slice(0, 10),
    },
    metadata: {
      threadId: message.threadId,
      summary: clip(message.summary, 500),
      eventType: message.eventType,
      relatedResources: message.resources.slice(0, 10),
      additionalContext: message.attributes,
    },
  };
};

export { type ChatNotification, formatChatNotification };
