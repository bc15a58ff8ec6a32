import { TransientError } from '#kernel/errors.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { Telemetry } from '#kernel/telemetry.ts';
import { type AlertFormat, type ButtonOptions, parentMessage, replyMessages } from '../messages.ts';
import type { ThreadStore } from '../ports.ts';
import { SlackRateLimited, type SlackWebApi } from '../slack/web-api.ts';
import { afterPosting, hasWork, type ThreadKey, type ThreadRecord } from './record.ts';
import { updateThread } from './update.ts';

/**
 * Posts what a thread holds back: its parent (the first time), the replies in its outbox, and the
 * parent's new status (chat.update). One invocation at a time does it, under the thread's lease
 * (`flusher`: who, until when). Right before a post the lease says what is being posted: an
 * invocation that dies then leaves it "acting", and whoever takes the lease over after it expired
 * does not post those replies again (they may have reached Slack; counted ChatRepliesUncertain).
 * A rate limit (HTTP 429) or a transient failure leaves the rest queued with a due time the
 * chat-actions sweep honours; nothing is dropped but what Slack refuses for good.
 */

interface FlushContext {
  store: ThreadStore;
  slack: SlackWebApi;
  format: AlertFormat;
  buttons: ButtonOptions;
  /** This invocation (lease holder). */
  holder: string;
  clock: () => Date;
  /** How long the lease is taken for: no longer than the invocation may live. */
  leaseMs: number;
  telemetry: Telemetry;
}

/** posted: something was posted; nothing: nothing waited; busy: another invocation posts; queued: Slack held it back. */
type FlushOutcome = 'posted' | 'nothing' | 'busy' | 'queued';

/** Another invocation took the thread's lease over (this one outlived it). */
class ThreadLeaseLost extends TransientError {
  public constructor(key: ThreadKey) {
    super(`the thread ${key.threadId} in ${key.channel} was taken over by another invocation`);
    this.name = 'ThreadLeaseLost';
  }
}

const RETRY_LATER_MS = 60_000;
const MAX_ROUNDS = 5;

const later = (clock: () => Date, ms: number): string =>
  new Date(clock().getTime() + ms).toISOString();

/**
 * Takes the lease, or finds it held. A lease taken over from a holder that died in the middle of
 * a post settles what that post left: replies it was posting count as posted (never twice), a
 * parent it was posting is posted again (a thread without its parent would show nowhere).
 */
const claim = async (
  key: ThreadKey,
  ctx: FlushContext,
): Promise<ThreadRecord | 'busy' | 'none'> => {
  const now = ctx.clock().getTime();
  let uncertain: string[] = [];
  const record = await updateThread(ctx.store, key, (current) => {
    if (!current || !hasWork(current)) return current;
    const held = current.flusher;
    if (held && held.holder !== ctx.holder && held.until > now) return current;
    const acting = held && held.holder !== ctx.holder ? held.acting : undefined;
    uncertain = Array.isArray(acting) ? acting : [];
    const settled = uncertain.length > 0 ? afterPosting(current, uncertain) : current;
    return {
      ...settled,
      flusher: { holder: ctx.holder, until: now + ctx.leaseMs },
      // If this invocation dies too, the sweep comes back once its lease has ended.
      dueAt: new Date(now + ctx.leaseMs).toISOString(),
    };
  });
  if (!record || !hasWork(record)) return 'none';
  if (record.flusher?.holder !== ctx.holder) return 'busy';
  if (uncertain.length > 0) {
    ctx.telemetry.counters.count('ChatRepliesUncertain', uncertain.length);
    ctx.telemetry.log.error('Slack replies uncertain: an earlier invocation died posting them', {
      thread: key.threadId,
      replies: uncertain.length,
    });
  }
  return record;
};

/** Applies `change` to the thread while this invocation holds its lease. */
const holding = async (
  key: ThreadKey,
  ctx: FlushContext,
  change: (record: ThreadRecord) => ThreadRecord,
): Promise<ThreadRecord> => {
  const updated = await updateThread(ctx.store, key, (current) => {
    if (current?.flusher?.holder !== ctx.holder) throw new ThreadLeaseLost(key);
    return change(current);
  });
  return updated as ThreadRecord;
};

const acting =
  (what: 'parent' | string[]) =>
  (r: ThreadRecord): ThreadRecord => ({
    ...r,
    flusher: r.flusher ? { ...r.flusher, acting: what } : undefined,
  });

const idle = (r: ThreadRecord): ThreadRecord => ({
  ...r,
  flusher: r.flusher ? { holder: r.flusher.holder, until: r.flusher.until } : undefined,
});

/** One round under the lease: the parent, the replies, the parent's status. */
const postAll = async (key: ThreadKey, ctx: FlushContext, start: ThreadRecord): Promise<void> => {
  let record = start;
  if (record.ts === undefined) {
    record = await holding(key, ctx, acting('parent'));
    const revision = record.revision;
    const posted = await ctx.slack.postMessage({
      channel: record.channel,
      ...parentMessage(record, ctx.format, ctx.buttons),
    });
    record = await holding(key, ctx, (r) => ({
      ...idle(r),
      ts: posted.ts,
      channelId: posted.channel,
      shown: revision,
    }));
  }
  const channel = record.channelId ?? record.channel;
  for (const reply of replyMessages(record.outbox, ctx.format)) {
    record = await holding(key, ctx, acting(reply.ids));
    await ctx.slack.postMessage({ channel, threadTs: record.ts, ...reply.content });
    record = await holding(key, ctx, (r) => idle(afterPosting(r, reply.ids)));
  }
  if (record.shown < record.revision && record.ts) {
    const revision = record.revision;
    await ctx.slack.update({
      channel,
      ts: record.ts,
      ...parentMessage(record, ctx.format, ctx.buttons),
    });
    await holding(key, ctx, (r) => ({ ...r, shown: Math.max(r.shown, revision) }));
  }
};

/** Gives the lease back; what is still to post stays due (`dueAt`, or `retryAt`). */
const release = (key: ThreadKey, ctx: FlushContext, retryAt?: string) =>
  holding(key, ctx, (r) => ({
    ...idle(r),
    flusher: undefined,
    dueAt: hasWork(r) ? (retryAt ?? ctx.clock().toISOString()) : undefined,
  }));

/**
 * Posts what the thread holds back, as long as there is something (new alerts may arrive while
 * it posts). A failure Slack will repeat (channel_not_found, invalid_auth...) drops what waits and
 * is rethrown: it cannot ever be posted, and the caller reports it.
 */
const flushThread = async (key: ThreadKey, ctx: FlushContext): Promise<FlushOutcome> => {
  let outcome: FlushOutcome = 'nothing';
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const record = await claim(key, ctx);
    if (record === 'none') return outcome;
    if (record === 'busy') return outcome === 'nothing' ? 'busy' : outcome;
    try {
      await postAll(key, ctx, record);
      outcome = 'posted';
    } catch (error) {
      if (error instanceof ThreadLeaseLost) throw error;
      const failure = classifyFailure(error);
      if (failure.retryable) {
        const waitMs =
          error instanceof SlackRateLimited ? error.retryAfterSeconds * 1000 : RETRY_LATER_MS;
        ctx.telemetry.counters.count('ChatRepliesQueued');
        ctx.telemetry.log.warn('Slack held the thread back; it waits for a later post', {
          thread: key.threadId,
          error: failure.message,
        });
        await release(key, ctx, later(ctx.clock, waitMs));
        return 'queued';
      }
      // Refused for good: nothing of it can ever be posted here.
      await holding(key, ctx, (r) => ({
        ...idle(r),
        flusher: undefined,
        outbox: [],
        shown: r.revision,
        dueAt: undefined,
        refused: failure.message.slice(0, 200),
      }));
      throw error;
    }
    const released = await release(key, ctx);
    if (!hasWork(released)) return outcome;
  }
  return outcome;
};

export { type FlushContext, type FlushOutcome, flushThread, ThreadLeaseLost };
