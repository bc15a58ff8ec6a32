import type { AlertMessage } from '#kernel/alerts/model.ts';
import { actionIdOf, type ButtonValue, closesKey, encodeButton } from './buttons.ts';
import { clipMrkdwn, clipPlain, clock, escapeMrkdwn } from './slack/mrkdwn.ts';
import type { OutboxEntry, ThreadNote, ThreadRecord } from './threads/record.ts';

/**
 * The Block Kit of a thread: the parent (the latest alert's header, summary, fields and links,
 * what people did, and the buttons that still make sense) and the replies (one alert in full, or
 * several merged when Slack held them back). Every message stays within Block Kit's limits: 50
 * blocks, and about 12,000 characters of text in all (Slack answers msg_blocks_too_long beyond).
 */

type Block = Record<string, unknown>;

/** A message as chat.postMessage and chat.update take it. */
interface SlackContent {
  text: string;
  blocks: Block[];
}

/** How an alert looks in Slack: the alerts wing's Block Kit formatter. */
type AlertFormat = (message: AlertMessage) => SlackContent;

/** Which buttons messages carry (none without the chat-actions function). */
interface ButtonOptions {
  interactive: boolean;
  snoozeMinutes: readonly number[];
}

const MAX_BLOCKS = 50;
const MAX_BLOCK_TEXT = 11_000;
const MAX_FALLBACK = 3_000;

const textLength = (value: unknown): number => {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + textLength(item), 0);
  if (!value || typeof value !== 'object') return 0;
  return Object.entries(value).reduce<number>(
    (sum, [key, v]) => sum + (key === 'text' && typeof v === 'string' ? v.length : textLength(v)),
    0,
  );
};

const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clipMrkdwn(text, 3_000) },
});
const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: clipMrkdwn(text, 3_000) }],
});

/**
 * Blocks cut to Block Kit's limits: while over, the longest text block (never the header or the
 * buttons) is halved, then dropped; at most 50 blocks.
 */
const withinLimits = (blocks: Block[]): Block[] => {
  let out = blocks.slice(0, MAX_BLOCKS);
  for (let guard = 0; guard < 200 && textLength(out) > MAX_BLOCK_TEXT; guard += 1) {
    const sizes = out.map((b, i) => ({
      i,
      size: b.type === 'header' || b.type === 'actions' ? 0 : textLength(b),
    }));
    const longest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
    const block = out[longest.i] as Block;
    const text = (block.text as { text?: string } | undefined)?.text;
    if (typeof text === 'string' && text.length > 200) {
      out = out.with(longest.i, {
        ...block,
        text: { type: 'mrkdwn', text: clipMrkdwn(text, Math.floor(text.length / 2)) },
      });
    } else {
      out = out.filter((_, i) => i !== longest.i);
    }
  }
  return out;
};

const minutesLabel = (minutes: number): string =>
  minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;

const confirm = (title: string, text: string, yes: string) => ({
  title: { type: 'plain_text', text: clipPlain(title, 100) },
  text: { type: 'mrkdwn', text: clipMrkdwn(escapeMrkdwn(text), 300) },
  confirm: { type: 'plain_text', text: clipPlain(yes, 30) },
  deny: { type: 'plain_text', text: 'Cancel' },
});

const button = (
  label: string,
  value: ButtonValue,
  options: { style?: 'primary' | 'danger'; confirm?: ReturnType<typeof confirm> } = {},
): Block | undefined => {
  const encoded = encodeButton(value);
  if (encoded === undefined) return undefined;
  return {
    type: 'button',
    text: { type: 'plain_text', text: clipPlain(label, 75) },
    action_id: actionIdOf(value.action.kind, value.minutes),
    value: encoded,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
};

/** The buttons the thread's status offers now: its actions not yet done, Acknowledge on errors. */
const buttonsOf = (record: ThreadRecord, options: ButtonOptions): Block[] => {
  if (!options.interactive) return [];
  const closed = new Set(record.notes.flatMap((n) => (n.closes ? [n.closes] : [])));
  const thread = { channel: record.channel, threadId: record.threadId };
  const open = record.status.actions.filter((a) => !closed.has(closesKey(a)));
  const buttons = open.flatMap((action): (Block | undefined)[] => {
    const where = `${action.cluster}/${action.service}`;
    switch (action.kind) {
      case 'rollback':
        return [
          button(
            'Roll back now',
            { thread, action },
            {
              style: 'danger',
              confirm: confirm(
                'Roll back?',
                `Roll ${where} back to ${action.taskDefinition.split('/').pop()}.`,
                'Roll back',
              ),
            },
          ),
        ];
      case 'approve':
        return [button('Approve', { thread, action }, { style: 'primary' })];
      case 'reject':
        return [
          button(
            'Reject',
            { thread, action },
            {
              style: 'danger',
              confirm: confirm('Reject?', `ECS rolls ${where} back.`, 'Reject'),
            },
          ),
        ];
      default:
        return options.snoozeMinutes.map((minutes) =>
          button(`Snooze ${minutesLabel(minutes)}`, { thread, action, minutes }),
        );
    }
  });
  const severe = record.status.severity === 'error' || record.status.severity === 'critical';
  if (severe && !record.acknowledged && !closed.has('acknowledge'))
    buttons.push(
      button('Acknowledge', {
        thread,
        action: {
          kind: 'acknowledge',
          cluster: record.status.attributes.cluster,
          service: record.status.attributes.service,
        },
      }),
    );
  return buttons.filter((b): b is Block => b !== undefined).slice(0, 25);
};

// The parent keeps the status: header, summary, the fields and the links (details are in the replies).
const statusBlocks = (formatted: SlackContent): Block[] => {
  const [header, summary, ...rest] = formatted.blocks;
  return [
    ...(header ? [header] : []),
    ...(summary ? [summary] : []),
    ...rest.filter((b) => Array.isArray(b.fields) || b.type === 'context'),
  ];
};

const noteLine = (note: ThreadNote): string => `\u2022 ${note.text}`;

/** The parent message: the thread's status, what people did, and the buttons. */
const parentMessage = (
  record: ThreadRecord,
  format: AlertFormat,
  options: ButtonOptions,
): SlackContent => {
  const formatted = format(record.status);
  const blocks = statusBlocks(formatted);
  if (record.notes.length > 0) blocks.push(section(record.notes.map(noteLine).join('\n')));
  const buttons = buttonsOf(record, options);
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: 'harbormaster-actions', elements: buttons });
  const count = record.events === 1 ? '1 event' : `${record.events} events`;
  blocks.push(context(`Updated ${clock(record.status.occurredAt)} \u00b7 ${count} in the thread`));
  return { text: formatted.text.slice(0, MAX_FALLBACK), blocks: withinLimits(blocks) };
};

const compactLine = (entry: OutboxEntry, format: AlertFormat): string => {
  if (entry.kind === 'note') return `${noteLine(entry.note)}`;
  const formatted = format(entry.message);
  const summary = (formatted.blocks[1]?.text as { text?: string } | undefined)?.text ?? '';
  // The formatter's fallback text is the escaped title.
  return `*${clipMrkdwn(formatted.text, 400)}*\n${clipMrkdwn(summary, 1_200)}`;
};

/** A reply to post, and the outbox entries it carries. */
interface Reply {
  ids: string[];
  content: SlackContent;
}

/**
 * The replies for the entries that wait: one alert in full, a note as one line, several merged
 * into as few messages as Block Kit allows (each entry one section, oldest first).
 */
const replyMessages = (entries: readonly OutboxEntry[], format: AlertFormat): Reply[] => {
  const [first] = entries;
  if (!first) return [];
  if (entries.length === 1 && first.kind === 'alert') {
    const formatted = format(first.message);
    return [
      {
        ids: [first.id],
        content: {
          text: formatted.text.slice(0, MAX_FALLBACK),
          blocks: withinLimits(formatted.blocks),
        },
      },
    ];
  }
  const replies: Reply[] = [];
  let ids: string[] = [];
  let blocks: Block[] = [];
  const close = () => {
    if (blocks.length === 0) return;
    const only = entries.length === 1 && first.kind === 'note' ? first.note.text : undefined;
    const text = only ?? `${blocks.length} updates`;
    replies.push({ ids, content: { text, blocks } });
    ids = [];
    blocks = [];
  };
  for (const entry of entries) {
    const next = section(compactLine(entry, format));
    if (blocks.length + 1 > MAX_BLOCKS || textLength([...blocks, next]) > MAX_BLOCK_TEXT) close();
    blocks.push(next);
    ids.push(entry.id);
  }
  close();
  return replies;
};

export {
  type AlertFormat,
  type ButtonOptions,
  buttonsOf,
  parentMessage,
  type Reply,
  replyMessages,
  type SlackContent,
};
