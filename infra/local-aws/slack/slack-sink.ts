import type { SimClock } from '../core/clock.ts';
import { type BlockActionSpec, buildBlockAction, type SlackInteraction } from './interactions.ts';
import { SlackRateLimits } from './rate-limits.ts';
import { ResponseUrls } from './response-urls.ts';
import { SlackWebApi } from './web-api.ts';
import { SlackWebhook } from './webhook.ts';
import {
  current,
  type SlackApp,
  type SlackChannel,
  type SlackMessageVersion,
  type SlackUser,
  type SlackUserGroup,
  SlackWorkspace,
  type StoredMessage,
} from './workspace.ts';

/** A message in its final state, with its history of edits and (for a parent) its replies. */
export interface SlackMessageView {
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  edited: boolean;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  broadcast: boolean;
  /** Every state, the first post first (chat.update and response_url replacements after it). */
  versions: SlackMessageVersion[];
  /** The replies in order, for a thread's parent. */
  replies: SlackMessageView[];
}

type Member = SlackUser | SlackApp | string;
const memberId = (m: Member): string =>
  typeof m === 'string' ? m : 'botUserId' in m ? m.botUserId : m.id;

/**
 * Slack as the product meets it: an incoming webhook (the inherited members), the Web API of a
 * workspace (`apiUrl`, `installApp`, `createChannel`, ...), interaction requests to an app
 * (`blockAction`) and the response_urls they carry. Tests read a channel's final state with
 * `history`, `thread` and `message`.
 */
export class SlackSink extends SlackWebhook {
  /** Base URL of the Web API: `<apiUrl>chat.postMessage` (as @slack/web-api's slackApiUrl). */
  readonly apiUrl: string;
  readonly workspace = new SlackWorkspace();
  readonly rateLimits: SlackRateLimits;
  readonly responseUrls: ResponseUrls;
  readonly api: SlackWebApi;
  readonly #clock: SimClock;

  constructor(baseUrl: string, clock: SimClock) {
    super(baseUrl);
    this.#clock = clock;
    this.apiUrl = `${baseUrl}/slack/api/`;
    this.rateLimits = new SlackRateLimits(() => clock.nowMs());
    this.responseUrls = new ResponseUrls(baseUrl, this.workspace);
    this.api = new SlackWebApi(this.workspace, this.rateLimits);
  }

  /** Installs an app with a bot user and token (scopes: chat:write, *:history, usergroups:read by default). */
  installApp(options: { name?: string; scopes?: string[] } = {}): SlackApp {
    return this.workspace.installApp(options);
  }

  createUser(name: string): SlackUser {
    return this.workspace.createUser(name);
  }

  /** A channel with members (users, apps' bot users or IDs); public unless `isPrivate`. */
  createChannel(options: { name: string; isPrivate?: boolean; members?: Member[] }): SlackChannel {
    return this.workspace.createChannel({
      name: options.name,
      ...(options.isPrivate === undefined ? {} : { isPrivate: options.isPrivate }),
      members: (options.members ?? []).map(memberId),
    });
  }

  joinChannel(channel: string, member: Member): void {
    this.#channel(channel).members.add(memberId(member));
  }

  archiveChannel(channel: string): void {
    this.#channel(channel).archived = true;
  }

  createUserGroup(options: {
    handle: string;
    users: Member[];
    disabled?: boolean;
  }): SlackUserGroup {
    return this.workspace.createUserGroup({ ...options, users: options.users.map(memberId) });
  }

  /** Revokes a token: calls with it answer token_revoked from now on. */
  revokeToken(token: string): void {
    this.workspace.revokedTokens.add(token);
  }

  /** A channel's messages as people see them: top level (and broadcast replies), each final. */
  history(channel: string): SlackMessageView[] {
    const id = this.#channel(channel).id;
    return this.workspace
      .messagesOf(id)
      .filter(
        (m) =>
          !m.deleted &&
          !m.orphan &&
          (m.threadTs === undefined || m.threadTs === m.ts || m.replyBroadcast),
      )
      .map((m) => this.#view(m));
  }

  /** A thread: its parent in its final state and its replies in order. */
  thread(channel: string, ts: string): { parent: SlackMessageView; replies: SlackMessageView[] } {
    const parent = this.message(channel, ts);
    return { parent, replies: parent.replies };
  }

  /** One message (a parent or a reply), with every version. */
  message(channel: string, ts: string): SlackMessageView {
    const found = this.workspace.find(this.#channel(channel).id, ts);
    if (found === undefined) throw new Error(`no message ${ts} in ${channel}`);
    return this.#view(found);
  }

  /** Replies posted with a thread_ts that named no top-level message: accepted, seen by nobody. */
  orphanReplies(channel: string): SlackMessageView[] {
    return this.workspace
      .messagesOf(this.#channel(channel).id)
      .filter((m) => m.orphan)
      .map((m) => this.#view(m));
  }

  /** Ephemeral messages sent through response_urls, optionally in one channel. */
  ephemerals(channel?: string) {
    return this.responseUrls.ephemerals.filter(
      (e) => channel === undefined || e.channel === channel,
    );
  }

  /**
   * A user's click on an app's button: the block_actions request Slack would send the app's
   * request URL (sign it with `.signed()`), with a live response_url.
   */
  blockAction(spec: BlockActionSpec): SlackInteraction {
    const now = this.#clock.now();
    const url = this.responseUrls.issue(spec.app, spec.channel, spec.messageTs, spec.user.id, now);
    return buildBlockAction(this.workspace, spec, url, now);
  }

  #channel(ref: string): SlackChannel {
    const channel = this.workspace.findChannel(ref);
    if (channel === undefined) throw new Error(`no channel ${ref}`);
    return channel;
  }

  #view(m: StoredMessage): SlackMessageView {
    const state = current(m);
    const isParent = m.threadTs === undefined || m.threadTs === m.ts;
    return {
      ts: m.ts,
      ...(m.threadTs === undefined ? {} : { threadTs: m.threadTs }),
      user: m.user,
      text: state.text,
      ...(state.blocks === undefined ? {} : { blocks: state.blocks }),
      ...(state.attachments === undefined ? {} : { attachments: state.attachments }),
      edited: m.edited !== undefined,
      broadcast: m.replyBroadcast,
      versions: [...m.versions],
      replies:
        isParent && !m.orphan
          ? this.workspace.repliesOf(m.channel, m.ts).map((r) => this.#view(r))
          : [],
    };
  }
}
