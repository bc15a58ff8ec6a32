import type { AlertMessage, Severity } from '#kernel/alerts/model.ts';
import { type FlushContext, flushThread } from './threads/flush.ts';
import { newThread, type ThreadKey, withAlert } from './threads/record.ts';
import { updateThread } from './threads/update.ts';

/** An alert channel as the alerts wing sends to it (the shape of its AlertChannel port). */
interface SlackAppAlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;
  send(message: AlertMessage): Promise<void>;
}

/** The thread's context, less who holds its lease (each send is a holder of its own). */
type ChannelContext = Omit<FlushContext, 'holder'>;

/**
 * An alert channel posting through the Slack app to one Slack channel: the alert joins its
 * thread's record (the parent's status if it is the latest, and a reply to post), then whatever
 * the thread holds back is posted. A reply Slack holds back (rate limit, a 5xx) stays queued in
 * the record and is posted by the next alert of the thread or by the chat-actions sweep: the
 * alert counts as delivered once it is in the record, which is written exactly once per alert
 * (its id is its deduplication key).
 */
const createSlackAppChannel = (
  options: { channel: string; minimumSeverity: Severity },
  context: ChannelContext,
): SlackAppAlertChannel => ({
  name: `slack:${options.channel}`,
  minimumSeverity: options.minimumSeverity,
  send: async (message) => {
    const key: ThreadKey = { channel: options.channel, threadId: message.threadId };
    const now = context.clock();
    await updateThread(context.store, key, (current) =>
      current ? withAlert(current, message, now) : newThread(key, message, now),
    );
    const outcome = await flushThread(key, { ...context, holder: crypto.randomUUID() });
    context.telemetry.log.debug('Slack thread', { thread: key.threadId, outcome });
  },
});

export { createSlackAppChannel, type SlackAppAlertChannel };
