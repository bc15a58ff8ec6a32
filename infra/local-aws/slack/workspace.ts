import { randomHex } from '../core/ids.ts';

/** An app installed in the workspace, with its bot user and credentials. */
export interface SlackApp {
  appId: string;
  name: string;
  teamId: string;
  botUserId: string;
  botId: string;
  /** The bot token (`xoxb-…`) the Web API takes as `Authorization: Bearer`. */
  botToken: string;
  /** The signing secret Slack signs requests to the app's request URLs with. */
  signingSecret: string;
  /** The deprecated verification token Slack still puts in interaction payloads. */
  verificationToken: string;
  scopes: string[];
}

export interface SlackUser {
  id: string;
  name: string;
  teamId: string;
  isBot: boolean;
}

export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  archived: boolean;
  members: Set<string>;
}

export interface SlackUserGroup {
  id: string;
  handle: string;
  users: string[];
  disabled: boolean;
}

/** One state of a message: how it was posted, then each edit. */
export interface SlackMessageVersion {
  at: Date;
  /** The user (a bot user for apps) who wrote this state. */
  by: string;
  via: 'chat.postMessage' | 'chat.update' | 'response_url';
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** A message as the workspace keeps it. */
export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  botId?: string;
  appId?: string;
  replyBroadcast: boolean;
  /** A reply whose thread_ts named no message: Slack accepts it, and nobody sees it. */
  orphan: boolean;
  deleted: boolean;
  edited?: { user: string; ts: string };
  /** Every state, the first post first; the last is the message as it stands. */
  versions: SlackMessageVersion[];
}

let counter = 0;
const id = (prefix: string): string => {
  counter += 1;
  return `${prefix}0${counter.toString(36).toUpperCase().padStart(8, '0')}`;
};

/** Users, apps, channels, user groups and messages of one simulated Slack workspace. */
export class SlackWorkspace {
  readonly teamId = id('T');
  readonly domain: string;
  /** Paid plans have user groups; on 'free', usergroups.* answers plan_upgrade_required. */
  plan: 'free' | 'pro' = 'pro';
  readonly apps = new Map<string, SlackApp>();
  readonly users = new Map<string, SlackUser>();
  readonly channels = new Map<string, SlackChannel>();
  readonly userGroups = new Map<string, SlackUserGroup>();
  readonly revokedTokens = new Set<string>();
  readonly #messages = new Map<string, StoredMessage[]>();
  #lastMicros = 0;

  constructor(domain = 'harbormaster-local') {
    this.domain = domain;
  }

  createUser(name: string, isBot = false): SlackUser {
    const user = { id: id('U'), name, teamId: this.teamId, isBot };
    this.users.set(user.id, user);
    return user;
  }

  installApp(options: { name?: string; scopes?: string[] } = {}): SlackApp {
    const name = options.name ?? 'Harbormaster';
    const bot = this.createUser(name.toLowerCase().replace(/\s+/g, '-'), true);
    const app: SlackApp = {
      appId: id('A'),
      name,
      teamId: this.teamId,
      botUserId: bot.id,
      botId: id('B'),
      botToken: `xoxb-${Date.now() % 1e12}-${Math.floor(Math.random() * 1e12)}-${randomHex(24)}`,
      signingSecret: randomHex(32),
      verificationToken: randomHex(24),
      scopes: options.scopes ?? [
        'chat:write',
        'channels:history',
        'groups:history',
        'usergroups:read',
      ],
    };
    this.apps.set(app.botToken, app);
    return app;
  }

  createChannel(options: { name: string; isPrivate?: boolean; members?: string[] }): SlackChannel {
    const channel: SlackChannel = {
      id: id(options.isPrivate ? 'G' : 'C'),
      name: options.name.replace(/^#/, ''),
      isPrivate: options.isPrivate === true,
      archived: false,
      members: new Set(options.members ?? []),
    };
    this.channels.set(channel.id, channel);
    this.#messages.set(channel.id, []);
    return channel;
  }

  createUserGroup(options: {
    handle: string;
    users: string[];
    disabled?: boolean;
  }): SlackUserGroup {
    const group = {
      id: id('S'),
      handle: options.handle,
      users: [...options.users],
      disabled: options.disabled === true,
    };
    this.userGroups.set(group.id, group);
    return group;
  }

  /** A channel by ID, or a public one by name (`deploys` or `#deploys`), as chat.postMessage takes. */
  findChannel(ref: string): SlackChannel | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    return [...this.channels.values()].find((c) => !c.isPrivate && c.name === name);
  }

  /** A unique, increasing message timestamp at `now` ("seconds.micros", as Slack writes ts). */
  nextTs(now: Date): string {
    this.#lastMicros = Math.max(now.getTime() * 1000, this.#lastMicros + 1);
    const seconds = Math.floor(this.#lastMicros / 1e6);
    return `${seconds}.${String(this.#lastMicros % 1e6).padStart(6, '0')}`;
  }

  add(message: StoredMessage): void {
    this.#messages.get(message.channel)?.push(message);
  }

  /** Every message of a channel in posting order (replies, orphans and deleted ones included). */
  messagesOf(channel: string): StoredMessage[] {
    return this.#messages.get(channel) ?? [];
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.messagesOf(channel).find((m) => m.ts === ts && !m.deleted && !m.orphan);
  }

  /** The replies of a thread, oldest first. */
  repliesOf(channel: string, threadTs: string): StoredMessage[] {
    return this.messagesOf(channel).filter(
      (m) => m.threadTs === threadTs && m.ts !== threadTs && !m.orphan && !m.deleted,
    );
  }
}

/** The current state of a stored message. */
export const current = (message: StoredMessage): SlackMessageVersion => {
  const last = message.versions.at(-1);
  if (last === undefined) throw new Error(`message ${message.ts} has no version`);
  return last;
};

/** A message as the Web API renders it (chat.postMessage's `message`, conversations.replies). */
export const renderMessage = (
  workspace: SlackWorkspace,
  message: StoredMessage,
): Record<string, unknown> => {
  const state = current(message);
  const replies =
    message.threadTs === undefined || message.threadTs === message.ts
      ? workspace.repliesOf(message.channel, message.ts)
      : [];
  const isParent = replies.length > 0;
  return {
    type: 'message',
    ...(message.replyBroadcast ? { subtype: 'thread_broadcast' } : {}),
    user: message.user,
    ...(message.botId === undefined ? {} : { bot_id: message.botId, app_id: message.appId }),
    text: state.text,
    ...(state.blocks === undefined ? {} : { blocks: state.blocks }),
    ...(state.attachments === undefined ? {} : { attachments: state.attachments }),
    team: workspace.teamId,
    ts: message.ts,
    ...(message.edited === undefined ? {} : { edited: message.edited }),
    ...(isParent
      ? {
          thread_ts: message.ts,
          reply_count: replies.length,
          reply_users: [...new Set(replies.map((r) => r.user))],
          reply_users_count: new Set(replies.map((r) => r.user)).size,
          latest_reply: replies.at(-1)?.ts,
        }
      : {}),
    ...(message.threadTs !== undefined && message.threadTs !== message.ts
      ? {
          thread_ts: message.threadTs,
          parent_user_id: workspace.find(message.channel, message.threadTs)?.user,
        }
      : {}),
  };
};
