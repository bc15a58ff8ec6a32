import {
  bool,
  type MethodContext,
  missingField,
  SlackApiError,
  type SlackMethod,
  str,
} from './method-args.ts';
import { renderMessage } from './workspace.ts';

/**
 * conversations.replies, usergroups.users.list and auth.test (docs.slack.dev/reference/methods/…):
 * what the product reads back from Slack, with their scopes and errors.
 */

const MAX_LIMIT = 1000;

const cursorOf = (ts: string): string => Buffer.from(`next_ts:${ts}`).toString('base64');
const tsOfCursor = (cursor: string): string => {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith('next_ts:')) throw new SlackApiError('invalid_cursor');
  return decoded.slice('next_ts:'.length);
};

const channelOf = (ctx: MethodContext) => {
  const ref = str(ctx.args, 'channel');
  return ref === undefined ? undefined : ctx.workspace.channels.get(ref);
};

export const conversationReplies: SlackMethod = {
  scope: (ctx) => (channelOf(ctx)?.isPrivate ? 'groups:history' : 'channels:history'),
  run: (ctx) => {
    const { workspace, app, args } = ctx;
    const channel = channelOf(ctx);
    if (channel === undefined) throw new SlackApiError('channel_not_found');
    if (!channel.members.has(app.botUserId))
      throw new SlackApiError(channel.isPrivate ? 'channel_not_found' : 'not_in_channel');
    const ts = str(args, 'ts');
    const root = ts === undefined ? undefined : workspace.find(channel.id, ts);
    if (root === undefined) throw new SlackApiError('thread_not_found');
    const isReply = root.threadTs !== undefined && root.threadTs !== root.ts;
    const thread = isReply ? [root] : [root, ...workspace.repliesOf(channel.id, root.ts)];
    const oldest = str(args, 'oldest');
    const latest = str(args, 'latest');
    const inclusive = bool(args, 'inclusive');
    const inRange = (messageTs: string): boolean => {
      const t = Number(messageTs);
      if (oldest !== undefined && (inclusive ? t < Number(oldest) : t <= Number(oldest)))
        return false;
      if (latest !== undefined && (inclusive ? t > Number(latest) : t >= Number(latest)))
        return false;
      return true;
    };
    const cursor = str(args, 'cursor');
    const after = cursor === undefined ? undefined : tsOfCursor(cursor);
    const selected = thread.filter(
      (m) => inRange(m.ts) && (after === undefined || Number(m.ts) >= Number(after)),
    );
    const limit = Math.min(Number(str(args, 'limit') ?? MAX_LIMIT) || MAX_LIMIT, MAX_LIMIT);
    const page = selected.slice(0, limit);
    const next = selected[limit];
    return {
      messages: page.map((m) => renderMessage(workspace, m)),
      has_more: next !== undefined,
      ...(next === undefined ? {} : { response_metadata: { next_cursor: cursorOf(next.ts) } }),
    };
  },
};

export const userGroupUsers: SlackMethod = {
  scope: () => 'usergroups:read',
  run: ({ workspace, args }) => {
    // User groups need a paid plan (reference section 5.4: plan_upgrade_required).
    if (workspace.plan === 'free') throw new SlackApiError('plan_upgrade_required');
    const id = str(args, 'usergroup');
    if (id === undefined) throw missingField('usergroup');
    const group = workspace.userGroups.get(id);
    // "include_disabled: Allow results that involve disabled User Groups."
    if (group === undefined || (group.disabled && !bool(args, 'include_disabled')))
      throw new SlackApiError('no_such_subteam');
    return { users: [...group.users] };
  },
};

export const authTest: SlackMethod = {
  scope: () => undefined,
  run: ({ workspace, app }) => ({
    url: `https://${workspace.domain}.slack.com/`,
    team: workspace.domain,
    user: workspace.users.get(app.botUserId)?.name ?? app.name,
    team_id: workspace.teamId,
    user_id: app.botUserId,
    bot_id: app.botId,
    is_enterprise_install: false,
  }),
};
