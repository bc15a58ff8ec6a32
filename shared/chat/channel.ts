import type { AlertMessage, Severity } from '#kernel/alerts/model.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { OnceContext } from '#kernel/lease/run-once.ts';
import { type FlushContext, flushThread } from './threads/flush.ts';
import { newThread, type ThreadKey, withAlert } from './threads/record.ts';
import { updateThread } from './threads/update.ts';

/** An alert channel as the alerts wing sends to it (the shape of its AlertChannel port). */
interface SlackAppAlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;
  readonly repeatable: true;
  send(
    message: AlertMessage,
    budget: { remainingMs(): number; once?: OnceContext | undefined },
  ): Promise<void>;
}

/** The thread's context, less the invocation (each send brings its own). */
type ChannelContext = Omit<FlushContext, 'once'>;

/**
 * An alert channel posting through the Slack app to one Slack channel: the alert joins its
 * thread's record (the parent's status if it is the latest, and a reply to post), then whatever
 * the thread holds back is posted under the thread's leases. A reply Slack holds back (rate limit,
 * a 5xx) stays queued in the record and is posted by the next alert of the thread or by the
 * chat-actions sweep. Sending again is harmless (`repeatable`): the alert is recorded once (its
 * entry is its deduplication key and occurrence) and each post is leased.
 */
const createSlackAppChannel = (
  options: { channel: string; minimumSeverity: Severity },
  context: ChannelContext,
): SlackAppAlertChannel => ({
  name: `slack:${options.channel}`,
  minimumSeverity: options.minimumSeverity,
  repeatable: true,
  send: async (message, budget) => {
    const once = budget.once;
    if (!once) throw new Error('the Slack app posts under leases: no invocation was given');
    const key: ThreadKey = { channel: options.channel, threadId: message.threadId };
    const now = once.clock();
    await updateThread(context.store, key, (current) =>
      current ? withAlert(current, message, now) : newThread(key, message, now),
    );
    let outcome: string;
    try {
      outcome = await flushThread(key, { ...context, once });
    } catch (error) {
      // Recorded is delivered: the thread keeps it due, and the next post or the chat-actions
      // sweep posts it. Retrying the alert instead could record it again as a new entry (another
      // decision of the same occurrence carries another time). Only a refusal for good is news.
      if (classifyFailure(error).retryable) outcome = 'queued';
      else throw error;
    }
    context.telemetry.log.debug('Slack thread', { thread: key.threadId, outcome });
  },
});

export { type ChannelContext, createSlackAppChannel, type SlackAppAlertChannel };
