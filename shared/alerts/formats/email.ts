import type { AlertMessage } from '#kernel/alerts/model.ts';

/**
 * A plain-text body that reads well in an email client. Every text of the message is already one
 * line without control or bidirectional characters (see render.ts), so a field from an event can
 * neither start a line of its own (a forged "Next steps:") nor reorder what the reader sees.
 */
const formatEmail = (message: AlertMessage): string => {
  const lines = [`[${message.severity.toUpperCase()}] ${message.title}`, '', message.summary, ''];
  const width = Math.min(24, Math.max(0, ...message.fields.map((f) => f.label.length)));
  for (const field of message.fields) lines.push(`${field.label.padEnd(width)}  ${field.value}`);
  if (message.details.length > 0) lines.push('', ...message.details);
  if (message.nextSteps.length > 0) {
    lines.push('', 'Next steps:', ...message.nextSteps.map((step, i) => `  ${i + 1}. ${step}`));
  }
  if (message.links.length > 0) {
    lines.push('', 'Links:', ...message.links.map((link) => `  - ${link.label}: ${link.url}`));
  }
  lines.push('', `-- Harbormaster \u00b7 ${message.eventType} \u00b7 thread ${message.threadId}`);
  return lines.join('\n');
};

export { formatEmail };
