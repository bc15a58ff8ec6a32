import { createHmac } from 'node:crypto';
import { randomDigits, randomHex } from '../core/ids.ts';
import { isObject } from '../core/input.ts';
import {
  current,
  renderMessage,
  type SlackApp,
  type SlackUser,
  type SlackWorkspace,
} from './workspace.ts';

/**
 * Interaction requests as Slack sends them to an app's request URL
 * (docs.slack.dev/interactivity/handling-user-interaction, …/reference/interaction-payloads/
 * block_actions-payload, …/authentication/verifying-requests-from-slack): a form body with one
 * field, `payload=<JSON>`, signed with the app's signing secret: `X-Slack-Signature: v0=` +
 * hex(HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`)), `X-Slack-Request-Timestamp: <timestamp>`.
 */

/** An HTTP request as it would reach the app (method POST). */
export interface SlackHttpRequest {
  headers: Record<string, string>;
  body: string;
}

/** `v0=<hex>`: Slack's v0 signature of a raw body at a timestamp (Unix seconds). */
export const slackSignature = (signingSecret: string, timestamp: number, body: string): string =>
  `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

/** What a test clicks: an app's button in a message, pressed by a user. */
export interface BlockActionSpec {
  app: SlackApp;
  user: SlackUser;
  channel: string;
  /** The `ts` of the message holding the button. */
  messageTs: string;
  actionId: string;
  /** Overrides of the button's own `value` and `block_id` (read from the message by default). */
  value?: string;
  blockId?: string;
}

/** A built block_actions interaction and the ways to send it. */
export interface SlackInteraction {
  payload: Record<string, unknown>;
  /** The form body: `payload=` and the URL-encoded JSON. */
  body: string;
  responseUrl: string;
  /** Signed as Slack signs it (the app's secret and the simulated time unless told otherwise). */
  signed(options?: { secret?: string; timestamp?: number }): SlackHttpRequest;
  /** Without X-Slack-Signature and X-Slack-Request-Timestamp. */
  unsigned(): SlackHttpRequest;
}

const HEADERS = {
  'content-type': 'application/x-www-form-urlencoded',
  'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  accept: 'application/json,*/*',
  'accept-encoding': 'gzip,deflate',
};

/** Finds the button with `actionId` in a message's blocks (section accessories or actions blocks). */
const findButton = (
  blocks: unknown[] | undefined,
  actionId: string,
): { block_id?: string; element: Record<string, unknown> } | undefined => {
  for (const block of blocks ?? []) {
    if (!isObject(block)) continue;
    const elements = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(isObject(block.accessory) ? [block.accessory] : []),
    ];
    const element = elements.find((e) => isObject(e) && e.action_id === actionId);
    if (isObject(element))
      return {
        ...(typeof block.block_id === 'string' ? { block_id: block.block_id } : {}),
        element,
      };
  }
  return undefined;
};

/** Builds the block_actions payload Slack sends when `user` clicks the button `actionId`. */
export const buildBlockAction = (
  workspace: SlackWorkspace,
  spec: BlockActionSpec,
  responseUrl: string,
  now: Date,
): SlackInteraction => {
  const channel = workspace.channels.get(spec.channel);
  const message = workspace.find(spec.channel, spec.messageTs);
  if (channel === undefined || message === undefined)
    throw new Error(`no message ${spec.messageTs} in channel ${spec.channel} to click on`);
  const button = findButton(current(message).blocks, spec.actionId);
  if (button === undefined)
    throw new Error(`message ${spec.messageTs} has no element with action_id ${spec.actionId}`);
  const seconds = Math.floor(now.getTime() / 1000);
  const actionTs = `${seconds}.${String(now.getTime() % 1000).padStart(3, '0')}${randomDigits(3)}`;
  const isReply = message.threadTs !== undefined && message.threadTs !== message.ts;
  const element = button.element;
  const payload = {
    type: 'block_actions',
    user: {
      id: spec.user.id,
      username: spec.user.name,
      name: spec.user.name,
      team_id: workspace.teamId,
    },
    api_app_id: spec.app.appId,
    token: spec.app.verificationToken,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: false,
      ...(isReply ? { thread_ts: message.threadTs } : {}),
    },
    trigger_id: `${randomDigits(13)}.${randomDigits(13)}.${randomHex(32)}`,
    team: { id: workspace.teamId, domain: workspace.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.isPrivate ? 'privategroup' : channel.name },
    message: renderMessage(workspace, message),
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: spec.actionId,
        block_id: spec.blockId ?? button.block_id ?? randomHex(4),
        ...(isObject(element.text) ? { text: element.text } : {}),
        ...((spec.value ?? element.value) === undefined
          ? {}
          : { value: spec.value ?? element.value }),
        ...(element.style === undefined ? {} : { style: element.style }),
        type: typeof element.type === 'string' ? element.type : 'button',
        action_ts: actionTs,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return {
    payload,
    body,
    responseUrl,
    signed: (options = {}) => {
      const timestamp = options.timestamp ?? seconds;
      return {
        headers: {
          ...HEADERS,
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(
            options.secret ?? spec.app.signingSecret,
            timestamp,
            body,
          ),
        },
        body,
      };
    },
    unsigned: () => ({ headers: { ...HEADERS }, body }),
  };
};

/**
 * The same request with one byte of its body changed after signing: a digit of the action's
 * `action_ts`, so the body still parses and only the signature can tell.
 */
export const alterOneByte = (request: SlackHttpRequest): SlackHttpRequest => {
  const match = /action_ts%22%3A%22\d/.exec(request.body);
  if (match === null) throw new Error('the body holds no action_ts to alter');
  const at = match.index + match[0].length - 1;
  const digit = String((Number(request.body[at]) + 1) % 10);
  return { ...request, body: `${request.body.slice(0, at)}${digit}${request.body.slice(at + 1)}` };
};
