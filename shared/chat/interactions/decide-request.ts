import { act, type Decision } from '#kernel/decision.ts';
import type { EnqueueClickAction, RespondAction, TellClickerAction } from '../actions/answers.ts';
import type { ChatActionKind, ChatConfig } from '../config.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { authorize } from './authorize.ts';
import type { Click } from './click.ts';

/**
 * A request to the function URL, as far as it was read before deciding: refused (the signature
 * does not hold: nothing of it was parsed), malformed (signed, but no click Harbormaster reads), or
 * a verified click with what deciding who may press it needs.
 */
type RequestRead =
  | { verdict: 'refused'; problem: string }
  | { verdict: 'malformed'; problem: string }
  | {
      verdict: 'verified';
      click: Click;
      /** The workspace the bot token belongs to (auth.test). */
      workspace: string;
      tags: Readonly<Record<string, string>> | undefined;
      /** The user groups (among those that matter) the user is in. */
      memberOf: readonly string[];
    };

type RequestAction = RespondAction | TellClickerAction | EnqueueClickAction;

const VERBS: Record<ChatActionKind, string> = {
  rollback: 'roll back',
  approve: 'approve',
  reject: 'reject',
  snooze: 'snooze alerts of',
  acknowledge: 'acknowledge alerts of',
};

/** The cluster and service a click acts on (Acknowledge: its thread's, if it has them). */
const targetOf = (click: Click) => {
  const action = click.button?.action;
  return { cluster: action?.cluster, service: action?.service };
};

/**
 * What Slack gets back, within its 3 seconds, and what is handed on: 401 for a request whose
 * signature does not hold, 400 for a signed one that is no click, 200 otherwise. A click from
 * another workspace or app, on a button that is not Harbormaster's, or by someone no permission
 * lets press it, is answered with an ephemeral "not allowed" (logged); an allowed one is queued
 * for the function's asynchronous invocation, which does the work.
 */
const decideRequest = (
  read: RequestRead,
  chat: NonNullable<ChatConfig>,
): Decision<RequestAction> => {
  if (read.verdict === 'refused')
    return act(`refused: ${read.problem}`, [
      { type: 'respond', status: 401, reason: read.problem },
    ]);
  if (read.verdict === 'malformed')
    return act(`malformed: ${read.problem}`, [
      { type: 'respond', status: 400, reason: read.problem },
    ]);
  const { click } = read;
  const ok: RespondAction = { type: 'respond', status: 200, reason: 'acknowledged' };
  const refuse = (why: string, text: string): Decision<RequestAction> =>
    act(`not allowed: ${why}`, [ok, { type: 'tell-clicker', click, text }]);
  if (click.team !== read.workspace)
    return refuse(
      `workspace ${click.team}`,
      'Not allowed: this Harbormaster belongs to another workspace.',
    );
  if (click.appId !== chat.appId)
    return refuse(`app ${click.appId}`, 'Not allowed: this button belongs to another app.');
  const button = click.button;
  if (!button)
    return refuse('not a Harbormaster button', 'This button is not one of Harbormaster\u2019s.');
  const kind = button.action.kind;
  const target = targetOf(click);
  const verdict = authorize(
    chat,
    { action: kind, ...target, user: click.user.id, tags: read.tags },
    new Set(read.memberOf),
  );
  if (!verdict.allowed) {
    const where = target.service ? ` ${target.cluster}/${target.service}` : ' this thread';
    return refuse(
      `${click.user.id} may not ${kind}${where}`,
      `Not allowed: you may not ${VERBS[kind]}${escapeMrkdwn(where)}. Ask for it in chat.permissions or the service's ${escapeMrkdwn(chat.permissionTag)} tag.`,
    );
  }
  return act(`${click.user.name} may ${kind} (${verdict.by}): queued`, [
    { type: 'enqueue-click', click },
    ok,
  ]);
};

export { decideRequest, type RequestAction, type RequestRead, targetOf };
