import type { AlertMessage } from '#kernel/alerts/model.ts';
import { clip, SEVERITY_EMOJI } from './emoji.ts';

/** Escapes the three characters Slack treats as control characters in text. */
const escapeSlack = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

// Inside <url|label> the pipe separates the parts, so it cannot appear in either.
const link = (url: string, label: string): string =>
  `<${escapeSlack(url).replaceAll('|', '%7C')}|${escapeSlack(label).replaceAll('|', '/')}>`;

type Block = Record<string, unknown>;

const mrkdwn = (text: string): { type: 'mrkdwn'; text: string } => ({
  type: 'mrkdwn',
  text: clip(text, 3000),
});

/** A Block Kit message for a Slack incoming webhook (limits: 50 blocks, 3000 chars a section). */
const formatSlackMessage = (message: AlertMessage): { text: string; blocks: Block[] } => {
  const title = `${SEVERITY_EMOJI[message.severity]} ${message.title}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
    { type: 'section', text: mrkdwn(escapeSlack(message.summary)) },
    {
      type: 'section',
      fields: message.fields
        .slice(0, 10)
        .map((f) => mrkdwn(`*${escapeSlack(f.label)}*\n${escapeSlack(clip(f.value, 1900))}`)),
    },
  ];
  if (message.details.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(escapeSlack(message.details.join('\n'))) });
  }
  if (message.nextSteps.length > 0) {
    const steps = message.nextSteps.map((step) => `\u2022 ${escapeSlack(step)}`).join('\n');
    blocks.push({ type: 'section', text: mrkdwn(`*Next steps*\n${steps}`) });
  }
  if (message.links.length > 0) {
    const links = message.links.map((l) => link(l.url, l.label)).join('  \u00b7  ');
    blocks.push({ type: 'context', elements: [mrkdwn(links)] });
  }
  return { text: clip(escapeSlack(title), 3000), blocks };
};

export { escapeSlack, formatSlackMessage };
