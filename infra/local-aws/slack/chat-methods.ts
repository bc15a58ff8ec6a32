import { blockProblems, blocksTextLength } from './block-kit.ts';
import {
  type Args,
  bool,
  jsonArray,
  type MethodContext,
  missingField,
  SlackApiError,
  type SlackMethod,
  str,
} from './method-args.ts';
import {
  current,
  renderMessage,
  type SlackChannel,
  type SlackMessageVersion,
} from './workspace.ts';

/**
 * chat.postMessage and chat.update (docs.slack.dev/reference/methods/chat.postMessage,
 * …/chat.update): a bot token with chat:write, the channel checks, Block Kit limits and threads.
 */

// Slack's maintainers: text beyond about 4,000 characters "could result in" msg_too_long (the
// 40,000-character truncation of the 2018 changelog is an old rule); the method page recommends
// 4,000. The model refuses beyond 4,000.
const MAX_TEXT = 4000;
// Blocks' text beyond about 12,000 characters in all draws msg_blocks_too_long (undocumented;
// slackapi/bolt-js#2509 and #2867 measured 11,341-13,297); the markdown block's own cap is 12,000.
const MAX_BLOCKS_TEXT = 12_000;
const TS = /^\d{1,12}\.\d{1,6}$/;

/** The channel of a chat call, checked as chat.postMessage checks it. */
export const postableChannel = (ctx: MethodContext): SlackChannel => {
  const ref = str(ctx.args, 'channel');
  const channel = ref === undefined ? undefined : ctx.workspace.findChannel(ref);
  if (channel === undefined) throw new SlackApiError('channel_not_found');
  const member = channel.members.has(ctx.app.botUserId);
  // A private channel the bot is not in does not exist for it.
  if (channel.isPrivate && !member) throw new SlackApiError('channel_not_found');
  if (channel.archived) throw new SlackApiError('is_archived');
  return channel;
};

/** The content arguments (text, blocks, attachments), validated as Slack does. */
export const readContent = (
  args: Args,
): { text?: string; blocks?: unknown[]; attachments?: unknown[] } => {
  const text = typeof args.text === 'string' ? args.text : str(args, 'text');
  const blocks = jsonArray(args, 'blocks', 'invalid_blocks_format');
  const attachments = jsonArray(args, 'attachments', 'invalid_attachments');
  if (blocks !== undefined) {
    const problems = blockProblems(blocks);
    if (problems.length > 0)
      throw new SlackApiError('invalid_blocks', {
        errors: problems,
        response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
      });
    if (blocksTextLength(blocks) > MAX_BLOCKS_TEXT) throw new SlackApiError('msg_blocks_too_long');
  }
  if (attachments !== undefined && attachments.length > 100)
    throw new SlackApiError('too_many_attachments');
  if (text !== undefined && text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
  return {
    ...(text === undefined ? {} : { text }),
    ...(blocks === undefined ? {} : { blocks }),
    ...(attachments === undefined ? {} : { attachments }),
  };
};

const hasContent = (content: ReturnType<typeof readContent>): boolean =>
  (content.text !== undefined && content.text.trim() !== '') ||
  (content.blocks?.length ?? 0) > 0 ||
  (content.attachments?.length ?? 0) > 0;

export const postMessage: SlackMethod = {
  scope: () => 'chat:write',
  run: (ctx) => {
    const { workspace, app, args, now } = ctx;
    const channel = postableChannel(ctx);
    // chat:write.public lets a bot post to a public channel it has not joined.
    if (!channel.members.has(app.botUserId) && !app.scopes.includes('chat:write.public'))
      throw new SlackApiError('not_in_channel');
    const content = readContent(args);
    if (!hasContent(content)) throw new SlackApiError('no_text');
    const threadTs = str(args, 'thread_ts');
    if (threadTs !== undefined && !TS.test(threadTs))
      throw new SlackApiError('invalid_thread_ts', {
        response_metadata: { messages: [`[ERROR] ${threadTs} is not a valid thread_ts`] },
      });
    // thread_ts must name a top-level message ("Avoid using a reply's ts value; use its parent
    // instead"). Slack still answers ok for one that does not, and the reply shows nowhere
    // (slackapi/python-slack-sdk#840); the model keeps such replies as orphans.
    const parent = threadTs === undefined ? undefined : workspace.find(channel.id, threadTs);
    const orphan =
      threadTs !== undefined &&
      (parent === undefined || (parent.threadTs !== undefined && parent.threadTs !== parent.ts));
    const ts = workspace.nextTs(now);
    const version: SlackMessageVersion = {
      at: now,
      by: app.botUserId,
      via: 'chat.postMessage',
      text: content.text ?? '',
      ...content,
    };
    const message = {
      channel: channel.id,
      ts,
      ...(threadTs === undefined ? {} : { threadTs }),
      user: app.botUserId,
      botId: app.botId,
      appId: app.appId,
      replyBroadcast: threadTs !== undefined && bool(args, 'reply_broadcast'),
      orphan,
      deleted: false,
      versions: [version],
    };
    workspace.add(message);
    return { channel: channel.id, ts, message: renderMessage(workspace, message) };
  },
};

export const updateMessage: SlackMethod = {
  scope: () => 'chat:write',
  run: (ctx) => {
    const { workspace, app, args, now } = ctx;
    const channel = postableChannel(ctx);
    const ts = str(args, 'ts');
    if (ts === undefined) throw missingField('ts');
    const message = workspace.find(channel.id, ts);
    if (message === undefined) throw new SlackApiError('message_not_found');
    // "chat.update edits non-ephemeral messages posted by the same token only" (modifying-messages).
    if (message.user !== app.botUserId) throw new SlackApiError('cant_update_message');
    const content = readContent(args);
    if (!hasContent(content)) throw new SlackApiError('no_text');
    const before = current(message);
    // Blocks and attachments left out are kept; an empty array removes them.
    const blocks = content.blocks ?? before.blocks;
    const attachments = content.attachments ?? before.attachments;
    message.versions.push({
      at: now,
      by: app.botUserId,
      via: 'chat.update',
      text: content.text ?? before.text,
      ...(blocks === undefined || blocks.length === 0 ? {} : { blocks }),
      ...(attachments === undefined || attachments.length === 0 ? {} : { attachments }),
    });
    message.edited = { user: app.botUserId, ts: workspace.nextTs(now) };
    const rendered = renderMessage(workspace, message);
    return { channel: channel.id, ts, text: current(message).text, message: rendered };
  },
};
