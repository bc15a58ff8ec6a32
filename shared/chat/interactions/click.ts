import * as v from 'valibot';
import { type ButtonValue, decodeButton } from '../buttons.ts';

/**
 * A click on one of Harbormaster's buttons, read from Slack's block_actions payload
 * (docs.slack.dev/reference/interaction-payloads/block_actions-payload) once its signature was
 * verified: who clicked (user, workspace, app), on which message, which button, and where to
 * answer them (response_url). It is also what the function hands itself to do the work.
 */
interface Click {
  /** Unique per click: the workspace, the user and the action's ts. */
  id: string;
  user: { id: string; name: string };
  team: string;
  appId: string;
  channelId: string;
  messageTs: string;
  responseUrl: string;
  actionId: string;
  /** The button's value as sent, and read (undefined when it is not one of Harbormaster's). */
  value: string | undefined;
  button: ButtonValue | undefined;
  /** ISO-8601 time of the click (the action's ts). */
  at: string;
}

const id = () => v.pipe(v.string(), v.regex(/^[A-Z0-9]{2,30}$/));
const ts = () => v.pipe(v.string(), v.regex(/^\d{1,12}\.\d{1,9}$/));

const payloadSchema = v.object({
  type: v.literal('block_actions'),
  user: v.object({
    id: id(),
    username: v.optional(v.pipe(v.string(), v.maxLength(256))),
    name: v.optional(v.pipe(v.string(), v.maxLength(256))),
  }),
  team: v.object({ id: id() }),
  api_app_id: id(),
  channel: v.object({ id: id() }),
  container: v.object({ message_ts: ts() }),
  response_url: v.pipe(v.string(), v.maxLength(1024), v.url()),
  actions: v.pipe(
    v.array(
      v.object({
        action_id: v.pipe(v.string(), v.maxLength(255)),
        value: v.optional(v.pipe(v.string(), v.maxLength(2000))),
        action_ts: ts(),
      }),
    ),
    v.minLength(1),
    v.maxLength(25),
  ),
});

type ClickRead = { ok: true; click: Click } | { ok: false; problem: string };

/** The click in a verified form body (`payload=<JSON>`), or why it is not one Harbormaster reads. */
const readClick = (body: string): ClickRead => {
  const form = new URLSearchParams(body);
  const payload = form.get('payload');
  if (payload === null) return { ok: false, problem: 'the body has no payload field' };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'the payload is not JSON' };
  }
  const parsed = v.safeParse(payloadSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
    return {
      ok: false,
      problem: `not a block_actions payload Harbormaster reads (${path || 'type'})`,
    };
  }
  const p = parsed.output;
  const action = p.actions[0] as (typeof p.actions)[number];
  return {
    ok: true,
    click: {
      id: `${p.team.id}/${p.user.id}/${action.action_ts}`,
      user: { id: p.user.id, name: p.user.username ?? p.user.name ?? p.user.id },
      team: p.team.id,
      appId: p.api_app_id,
      channelId: p.channel.id,
      messageTs: p.container.message_ts,
      responseUrl: p.response_url,
      actionId: action.action_id,
      value: action.value,
      button: action.value === undefined ? undefined : decodeButton(action.value),
      at: new Date(Math.floor(Number(action.action_ts) * 1000)).toISOString(),
    },
  };
};

export { type Click, readClick };
