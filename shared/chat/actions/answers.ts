import type { ActionRunner } from '#kernel/runner.ts';
import type { Click } from '../interactions/click.ts';

/**
 * What the function answers Slack's request with (a function URL response): 200 acknowledges the
 * click at once, 401 refuses an unsigned, badly signed or replayed request, 400 a signed request
 * that holds no click Harbormaster reads. It has no side effect: the answer is the invocation's
 * return value (the function's answer contract).
 */
interface RespondAction {
  type: 'respond';
  status: 200 | 400 | 401;
  reason: string;
}

const respondRunner: ActionRunner<RespondAction> = {
  permissions: [],
  describe: (action) => `answer HTTP ${action.status} (${action.reason})`,
  run: async (action) => ({ status: 'done', detail: `HTTP ${action.status}: ${action.reason}` }),
};

/** Tell the person who clicked, and only them (an ephemeral message through the response_url). */
interface TellClickerAction {
  type: 'tell-clicker';
  click: Pick<Click, 'id' | 'responseUrl' | 'user'>;
  /** mrkdwn, escaped where it holds text from elsewhere. */
  text: string;
}

/** Posts to a click's response_url (Slack's, or the local endpoint's). */
interface ClickResponder {
  tell(responseUrl: string, text: string): Promise<void>;
}

const tellClickerRunner: ActionRunner<TellClickerAction, { responder: ClickResponder }> = {
  permissions: [],
  describe: (action) => `tell ${action.click.user.name}: ${action.text}`,
  run: async (action, { ports }) => {
    await ports.responder.tell(action.click.responseUrl, action.text);
    return { status: 'done', detail: `told ${action.click.user.name}: ${action.text}` };
  },
};

/** Hand a verified, authorised click to the function's own asynchronous invocation. */
interface EnqueueClickAction {
  type: 'enqueue-click';
  click: Click;
}

/** Where clicks wait to be carried out (the chat-actions topic, which invokes the function). */
interface ClickQueue {
  enqueue(click: Click): Promise<void>;
}

const enqueueClickRunner: ActionRunner<EnqueueClickAction, { clicks: ClickQueue }> = {
  // The topic is encrypted with the alert key.
  permissions: ['sns:Publish', 'kms:GenerateDataKey', 'kms:Decrypt'],
  describe: (action) => `queue ${action.click.actionId} by ${action.click.user.name}`,
  run: async (action, { ports }) => {
    await ports.clicks.enqueue(action.click);
    return { status: 'done', detail: `queued ${action.click.actionId}` };
  },
};

export {
  type ClickQueue,
  type ClickResponder,
  type EnqueueClickAction,
  enqueueClickRunner,
  type RespondAction,
  respondRunner,
  type TellClickerAction,
  tellClickerRunner,
};
