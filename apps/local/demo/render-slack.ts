type Text = { text?: string };
type Block = { type: string; text?: Text; fields?: Text[]; elements?: Text[] };

// Slack's escapes and link syntax, turned back into what a reader sees.
const unescapeSlack = (text: string): string =>
  text
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .replace(/\*([^*\n]+)\*/g, '$1');

/** A Block Kit message as plain lines, roughly as Slack lays it out. */
const slackAsText = (message: unknown): string[] => {
  const blocks = ((message as { blocks?: Block[] }).blocks ?? []) as Block[];
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'header' && block.text?.text) lines.push(block.text.text);
    if (block.type === 'section' && block.text?.text)
      lines.push(...unescapeSlack(block.text.text).split('\n'));
    if (block.type === 'section' && block.fields) {
      lines.push(
        block.fields.map((f) => unescapeSlack(f.text ?? '').replace('\n', ': ')).join('  |  '),
      );
    }
    if (block.type === 'context' && block.elements) {
      lines.push(
        ...block.elements
          .map((e) => unescapeSlack(e.text ?? ''))
          .join(' ')
          .split('  \u00b7  '),
      );
    }
  }
  return lines;
};

export { slackAsText };
