import type { AlertMessage } from '#kernel/alerts/model.ts';
import { SEVERITY_EMOJI } from './emoji.ts';
import { clip, clipEscaped, escapeClip, escapeMrkdwn } from './text.ts';

/**
 * Block Kit's limits, in characters of the text as sent (entities count in full): a header's
 * plain_text 150, a section's text 3,000, a section's fields 10 of 2,000 each, a context block's
 * elements 10, a message's blocks 50 (docs.slack.dev, reference/block-kit/blocks).
 */
const SLACK_LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  contextElements: 10,
} as const;

// Inside <url|label> the pipe separates the parts, so it cannot appear in either.
const link = (url: string, label: string): string =>
  `<${escapeMrkdwn(url).replaceAll('|', '%7C')}|${escapeMrkdwn(label).replaceAll('|', '/')}>`;

type Block = Record<string, unknown>;

const mrkdwn = (escaped: string, max: number): { type: 'mrkdwn'; text: string } => ({
  type: 'mrkdwn',
  text: clipEscaped(escaped, max),
});

// Links are added whole while they fit: a link cut in half would show its markup.
const linkLine = (links: AlertMessage['links']): string => {
  let line = '';
  for (const l of links) {
    const next = line ? `${line}  \u00b7  ${link(l.url, l.label)}` : link(l.url, l.label);
    if (next.length > SLACK_LIMITS.sectionText) break;
    line = next;
  }
  return line;
};

/**
 * A Block Kit message for a Slack incoming webhook. Every text from an event is escaped (Slack
 * parses `<!channel>`, `<@U123>` and `<url|label>` in mrkdwn and in the fallback text, never in
 * plain_text) and clipped after escaping, so each block stays within its limit.
 */
const formatSlackMessage = (message: AlertMessage): { text: string; blocks: Block[] } => {
  const title = `${SEVERITY_EMOJI[message.severity]} ${message.title}`;
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip(title, SLACK_LIMITS.header), emoji: true },
    },
    {
      type: 'section',
      text: mrkdwn(escapeMrkdwn(message.summary), SLACK_LIMITS.sectionText),
    },
  ];
  if (message.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: message.fields
        .slice(0, SLACK_LIMITS.fields)
        .map((f) =>
          mrkdwn(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
        ),
    });
  }
  if (message.details.length > 0) {
    const details = message.details.map(escapeMrkdwn).join('\n');
    blocks.push({ type: 'section', text: mrkdwn(details, SLACK_LIMITS.sectionText) });
  }
  if (message.nextSteps.length > 0) {
    const steps = message.nextSteps.map((step) => `\u2022 ${escapeMrkdwn(step)}`).join('\n');
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Next steps*\n${steps}`, SLACK_LIMITS.sectionText),
    });
  }
  const links = linkLine(message.links);
  if (links) blocks.push({ type: 'context', elements: [mrkdwn(links, SLACK_LIMITS.sectionText)] });
  return {
    text: escapeClip(title, SLACK_LIMITS.sectionText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
};

export { formatSlackMessage, SLACK_LIMITS };
