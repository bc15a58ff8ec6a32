import type { AlertMessage } from '#kernel/alerts/model.ts';
import { SEVERITY_EMOJI } from './emoji.ts';
import { clipEscaped, escapeClip } from './text.ts';

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

/** How long each part may be: the custom notification documents none, these read well in chat. */
interface ChatLimits {
  title: number;
  description: number;
  text: number;
}

const LIMITS: ChatLimits = { title: 250, description: 8_000, text: 1_000 };

/**
 * Builds the custom notification for a message; its id is the alert's deduplication key. With
 * textType client-markdown, Amazon Q Developer renders the text as the chat client's markdown
 * (Slack mrkdwn in Slack), so every text from an event is escaped: `<!channel>`, `<@U123>` or
 * `<https://x|label>` in an ECS reason shows as written and neither pings nor links.
 */
const formatChatNotification = (
  message: AlertMessage,
  limits: ChatLimits = LIMITS,
): ChatNotification => {
  const text = (value: string) => escapeClip(value, limits.text);
  const facts = message.fields.map((f) => `*${text(f.label)}:* ${text(f.value)}`);
  const links = message.links.map((l) => `${text(l.label)}: ${text(l.url)}`);
  const description = [text(message.summary), '', ...facts, '', ...message.details.map(text)]
    .concat(links.length > 0 ? ['', ...links] : [])
    .join('\n')
    .trim();
  const additionalContext: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    additionalContext[name] = escapeClip(value, 256);
  }
  return {
    version: '1.0',
    source: 'custom',
    id: escapeClip(message.id, 512),
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_EMOJI[message.severity]} ${escapeClip(message.title, limits.title - 25)}`,
      // Clipped whole after escaping: the cut falls at the end, never inside an entity.
      description: clipEscaped(description, limits.description),
      nextSteps: message.nextSteps.slice(0, 10).map(text),
      keywords: [message.severity, message.attributes.cluster, message.attributes.service]
        .filter((k): k is string => !!k)
        .map((k) => escapeClip(k, 64))
        .slice(0, 10),
    },
    metadata: {
      threadId: escapeClip(message.threadId, 256),
      summary: escapeClip(message.summary, 500),
      eventType: escapeClip(message.eventType, 256),
      relatedResources: message.resources.slice(0, 10).map((r) => escapeClip(r, 2048)),
      additionalContext,
    },
  };
};

export { type ChatLimits, type ChatNotification, formatChatNotification };
