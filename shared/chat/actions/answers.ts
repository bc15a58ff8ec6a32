import { createHash } from 'node:crypto';
import { runOnce } from '#kernel/lease/run-once.ts';
import type { ActionContext, ActionRunner } from '#kernel/runner.ts';
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

// A response_url takes posts for 30 minutes (docs.slack.dev/interactivity/handling-user-interaction).
const TELL_KEEP_SECONDS = 30 * 60;

/**
 * Tells the clicker, once per click and text, under a kernel lease: a retried invocation does not
 * post the same ephemeral message again. An attempt that died while posting leaves it untold
 * rather than told twice (the thread and the log have the outcome anyway).
 */
const tellOnce = async (
  context: ActionContext<{ responder: ClickResponder }>,
  click: { id: string; responseUrl: string },
  text: string,
): Promise<void> => {
  const hash = createHash('sha256').update(`${click.id}\n${text}`).digest('base64url');
  await runOnce(
    {
      key: `chat-tell#${hash}`,
      keepSeconds: TELL_KEEP_SECONDS,
      act: async () => {
        await context.ports.responder.tell(click.responseUrl, text);
        return true;
      },
      recover: async () => false,
    },
    { leases: context.leases, invocation: context.invocation, clock: context.clock },
  );
};

const tellClickerRunner: ActionRunner<TellClickerAction, { responder: ClickResponder }> = {
  effect: true,
  permissions: [],
  describe: (action) => `tell ${action.click.user.name}: ${action.text}`,
  run: async (action, context) => {
    await tellOnce(context, action.click, action.text);
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
  // Queued again after a holder died: the click's work is itself done once (its own leases).
  once: {
    key: (action) => `chat-click#${action.click.id}`,
    keepSeconds: 60 * 60,
    repeatable: true,
  },
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
  tellOnce,
};
