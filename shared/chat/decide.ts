import type { RollbackAction } from '#guard/actions/rollback.ts';
import { act, type Decision } from '#kernel/decision.ts';
import type { ChatOwnAction } from './actions/index.ts';
import { decideClick } from './clicks/decide-click.ts';
import type { ChatConfig } from './config.ts';
import { decideRequest } from './interactions/decide-request.ts';
import type { ChatEvent } from './interactions/events.ts';
import type { ChatState } from './load.ts';

/** Every action the chat-actions function's decisions return. */
type ChatAction = ChatOwnAction | RollbackAction;

/**
 * The chat-actions function's decision: answer Slack's request (and queue an allowed click), carry
 * a queued click out or say why not, or post what threads hold back.
 */
const decideChat = (
  event: ChatEvent,
  state: ChatState,
  chat: NonNullable<ChatConfig>,
  now: Date,
): Decision<ChatAction> => {
  if (state.kind === 'request') return decideRequest(state.read, chat);
  if (state.kind === 'sweep')
    return act(
      `${state.due.length} thread(s) hold back posts`,
      state.due.map((thread) => ({ type: 'flush-thread' as const, thread })),
    );
  if (event.kind !== 'click') throw new Error('a click state for another event');
  return decideClick(event.click, state, { now });
};

export { type ChatAction, decideChat };
