type Text = { text?: string };
type Element = { type?: string; text?: Text | string; style?: string };
type Block = { type: string; text?: Text; fields?: Text[]; elements?: Element[] };

/** How a user id reads in Slack (`@name`); the id itself when unknown. */
type NameOf = (userId: string) => string | undefined;

// Slack's escapes, mentions and link syntax, turned back into what a reader sees.
const unescapeSlack = (text: string, nameOf: NameOf = () => undefined): string =>
  text
    .replace(/<@([UW][A-Z0-9]+)>/g, (_all, id: string) => `@${nameOf(id) ?? id}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .replace(/\*([^*\n]+)\*/g, '$1');

const elementText = (element: Element): string =>
  unescapeSlack(typeof element.text === 'string' ? element.text : (element.text?.text ?? ''));

/** A Block Kit message as plain lines, roughly as Slack lays it out (buttons in brackets). */
const slackAsText = (message: unknown, nameOf?: NameOf): string[] => {
  const blocks = ((message as { blocks?: Block[] }).blocks ?? []) as Block[];
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'header' && block.text?.text) lines.push(block.text.text);
    if (block.type === 'section' && block.text?.text)
      lines.push(...unescapeSlack(block.text.text, nameOf).split('\n'));
    if (block.type === 'section' && block.fields) {
      lines.push(
        block.fields
          .map((f) => unescapeSlack(f.text ?? '', nameOf).replace('\n', ': '))
          .join('  |  '),
      );
    }
    if (block.type === 'context' && block.elements) {
      lines.push(
        ...block.elements
          .map((e) => unescapeSlack(typeof e.text === 'string' ? e.text : '', nameOf))
          .join(' ')
          .split('  \u00b7  '),
      );
    }
    if (block.type === 'actions' && block.elements)
      lines.push(block.elements.map((e) => `[ ${elementText(e)} ]`).join(' '));
  }
  // A message without blocks (a plain text reply) reads as its text.
  if (blocks.length === 0) {
    const text = (message as { text?: string }).text;
    if (text) lines.push(...unescapeSlack(text, nameOf).split('\n'));
  }
  return lines;
};

export { type NameOf, slackAsText, unescapeSlack };
