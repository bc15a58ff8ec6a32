import { classifyFailure } from '#kernel/failures.ts';
import { holderOf, leaseEnd, type OnceContext } from '#kernel/lease/run-once.ts';
import type { Telemetry } from '#kernel/telemetry.ts';
import { type AlertFormat, type ButtonOptions, parentMessage, replyMessages } from '../messages.ts';
import type { ThreadStore } from '../ports.ts';
import { SlackRateLimited, type SlackWebApi } from '../slack/web-api.ts';
import { postParent, postReply, threadLeaseKey } from './posts.ts';
import { afterPosting, hasWork, type ThreadKey, type ThreadRecord } from './record.ts';
import { updateThread } from './update.ts';

/**
 * Posts what a thread holds back: its parent (the first time), the replies in its outbox, and the
 * parent's new status (chat.update). One invocation at a time does it, under the thread's kernel
 * lease (kernel/lease: who, until the end of its attempt), which it gives back when done; each post
 * is a side effect of its own, under its own lease (posts.ts), so that an attempt that died while
 * posting is never repeated by the next. A rate limit (HTTP 429) or a transient failure leaves the
 * rest queued with a due time the chat-actions sweep honours; nothing is dropped but what Slack
 * refuses for good.
 */

interface FlushContext {
  store: ThreadStore;
  slack: SlackWebApi;
  format: AlertFormat;
  buttons: ButtonOptions;
  /** The invocation posting, the kernel's leases and the runtime's clock. */
  once: OnceContext;
  telemetry: Telemetry;
}

/** posted: something was posted; nothing: nothing waited; busy: another invocation posts; queued: Slack held it back. */
type FlushOutcome = 'posted' | 'nothing' | 'busy' | 'queued';

const RETRY_LATER_MS = 60_000;
const MAX_ROUNDS = 5;
// The thread's lease is a right to post, given back at the end: its record is kept this long.
const THREAD_LEASE_KEEP_SECONDS = 60;

const at = (ms: number): string => new Date(ms).toISOString();

/** The replies to post next: those an earlier holder fixed before posting (`pending`), or new. */
const nextReply = (record: ThreadRecord, format: AlertFormat) => {
  const pending = record.pending?.filter((id) => record.outbox.some((e) => e.id === id));
  if (pending && pending.length > 0) {
    const entries = record.outbox.filter((e) => pending.includes(e.id));
    // The same entries, whatever else waits now (they may have reached Slack): they fitted one
    // reply when they were fixed, and fit it again.
    return replyMessages(entries, format)[0];
  }
  return replyMessages(record.outbox, format)[0];
};

/** One round under the thread's lease: the parent, the replies, the parent's status. */
const postAll = async (key: ThreadKey, ctx: FlushContext, start: ThreadRecord): Promise<void> => {
  let record = start;
  if (record.ts === undefined) {
    const revision = record.revision;
    const posted = await postParent(key, ctx, () =>
      ctx.slack.postMessage({
        channel: record.channel,
        ...parentMessage(record, ctx.format, ctx.buttons),
      }),
    );
    record = (await updateThread(ctx.store, key, (r) =>
      r && r.ts === undefined
        ? { ...r, ts: posted.ts, channelId: posted.channel, shown: revision }
        : r,
    )) as ThreadRecord;
  }
  const channel = record.channelId ?? record.channel;
  for (let reply = nextReply(record, ctx.format); reply; reply = nextReply(record, ctx.format)) {
    const { ids, content } = reply;
    // Which entries this post carries is fixed before it is made: a holder that takes the thread
    // over after this one died posts (or counts as posted) exactly these.
    record = (await updateThread(ctx.store, key, (r) =>
      r && r.pending?.join() !== ids.join() ? { ...r, pending: ids } : r,
    )) as ThreadRecord;
    const outcome = await postReply(key, ids, ctx, () =>
      ctx.slack.postMessage({ channel, threadTs: record.ts, ...content }),
    );
    if (outcome === 'uncertain') {
      ctx.telemetry.counters.count('ChatRepliesUncertain', ids.length);
      ctx.telemetry.log.error('Slack replies uncertain: an earlier attempt died posting them', {
        thread: key.threadId,
        replies: ids.length,
      });
    }
    record = (await updateThread(ctx.store, key, (r) =>
      r ? { ...afterPosting(r, ids), pending: undefined } : r,
    )) as ThreadRecord;
  }
  if (record.shown < record.revision && record.ts) {
    const revision = record.revision;
    // An edit is safe to repeat: it sets the parent to what the record says, however often.
    await ctx.slack.update({
      channel,
      ts: record.ts,
      ...parentMessage(record, ctx.format, ctx.buttons),
    });
    await updateThread(ctx.store, key, (r) =>
      r && r.shown < revision ? { ...r, shown: revision } : r,
    );
  }
};

/**
 * Posts what the thread holds back, as long as there is something (new alerts may arrive while
 * it posts). Another invocation holding the thread's lease posts it instead ('busy'; the thread
 * stays due, so the sweep comes back if that one dies). A failure Slack will repeat
 * (channel_not_found, invalid_auth...) drops what waits and is rethrown: it cannot ever be posted,
 * and the caller reports it.
 */
const flushThread = async (key: ThreadKey, ctx: FlushContext): Promise<FlushOutcome> => {
  const { leases, clock } = ctx.once;
  const holder = holderOf(ctx.once.invocation);
  const leaseKey = threadLeaseKey(key);
  let outcome: FlushOutcome = 'nothing';
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const waiting = await ctx.store.get(key);
    if (!waiting || !hasWork(waiting)) return outcome;
    const until = leaseEnd(ctx.once);
    const claim = await leases.claim({
      key: leaseKey,
      holder,
      now: clock().getTime(),
      until,
      keepSeconds: THREAD_LEASE_KEEP_SECONDS,
    });
    if (claim.outcome !== 'claimed') return outcome === 'nothing' ? 'busy' : outcome;
    // If this attempt dies, the sweep comes back once its lease has ended.
    const record = await updateThread(ctx.store, key, (r) => (r ? { ...r, dueAt: at(until) } : r));
    let retryAt: string | undefined;
    try {
      if (record && hasWork(record)) await postAll(key, ctx, record);
      outcome = 'posted';
    } catch (error) {
      const failure = classifyFailure(error);
      if (!failure.retryable) {
        // Refused for good: nothing of it can ever be posted here.
        await updateThread(ctx.store, key, (r) =>
          r
            ? {
                ...r,
                outbox: [],
                pending: undefined,
                shown: r.revision,
                dueAt: undefined,
                refused: failure.message.slice(0, 200),
              }
            : r,
        );
        await leases.release(leaseKey, holder);
        throw error;
      }
      const waitMs =
        error instanceof SlackRateLimited ? error.retryAfterSeconds * 1000 : RETRY_LATER_MS;
      retryAt = at(clock().getTime() + waitMs);
      ctx.telemetry.counters.count('ChatRepliesQueued');
      ctx.telemetry.log.warn('Slack held the thread back; it waits for a later post', {
        thread: key.threadId,
        error: failure.message,
      });
    }
    const released = await updateThread(ctx.store, key, (r) =>
      r
        ? {
            ...r,
            // A post that failed and said so (its lease given back) sent nothing: no longer fixed.
            ...(retryAt ? { pending: undefined } : {}),
            dueAt: hasWork(r) ? (retryAt ?? clock().toISOString()) : undefined,
          }
        : r,
    );
    await leases.release(leaseKey, holder);
    if (retryAt) return 'queued';
    if (!released || !hasWork(released)) return outcome;
  }
  return outcome;
};

export { type FlushContext, type FlushOutcome, flushThread };
