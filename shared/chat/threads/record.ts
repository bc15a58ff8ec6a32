import type { AlertMessage } from '#kernel/alerts/model.ts';

/**
 * One Slack thread of Harbormaster's: a parent message per deployment (or job run, or service)
 * whose status block is edited in place, and every event as a reply under it. The record is kept
 * in the guard's table and every change to it is a conditional write on its `version`, so that
 * concurrent invocations never lose each other's events. Replies wait in `outbox` until they are
 * posted (Slack's rate limit may hold them back); `posted` remembers the last ones posted, and
 * each post is leased (threads/posts.ts), so a retried invocation never posts one twice.
 */

/** Which thread: the channel as configured (an id, or #name) and the alerts' thread id. */
interface ThreadKey {
  channel: string;
  threadId: string;
}

/** A click's outcome, shown on the parent and in the log (mrkdwn, escaped where built). */
interface ThreadNote {
  id: string;
  at: string;
  text: string;
  /** The button this outcome closes (shown no more): see buttons.ts, closesKey. */
  closes?: string | undefined;
}

/** A reply waiting to be posted: an alert, or a note about what someone did. */
type OutboxEntry =
  | { id: string; kind: 'alert'; message: AlertMessage }
  | { id: string; kind: 'note'; note: ThreadNote };

interface ThreadRecord extends ThreadKey {
  /** Bumped by every write: the condition of the next one. */
  version: number;
  /** Slack's channel id and the parent message's ts, once the parent is posted. */
  channelId?: string | undefined;
  ts?: string | undefined;
  /** The latest alert of the thread (by occurrence): what the parent shows. */
  status: AlertMessage;
  /** How many alerts the thread holds. */
  events: number;
  /** What people did from the thread's buttons (the last few). */
  notes: ThreadNote[];
  acknowledged?: { by: string; at: string } | undefined;
  outbox: OutboxEntry[];
  posted: string[];
  /** Bumped when what the parent shows changes; `shown` is the revision Slack shows. */
  revision: number;
  shown: number;
  /** The outbox entries the reply being posted carries, fixed before its post. */
  pending?: string[] | undefined;
  /** ISO-8601: when the sweep should post what waits (absent when nothing does). */
  dueAt?: string | undefined;
  /** When each alert (by its id, the deduplication key) was last taken into the thread. */
  seen?: Record<string, string> | undefined;
  /** Why Slack refused the thread for good (channel_not_found...): nothing is tried until the next alert. */
  refused?: string | undefined;
}

const MAX_POSTED = 100;

/**
 * An alert's entry in a thread: its deduplication key and when it occurred. A redelivery (or a
 * retry) of the same occurrence is the same entry; a repeat of the same event later (a service
 * event ECS repeats, once its deduplication window is over) is a new one.
 */
const entryId = (message: AlertMessage): string => `${message.id}@${message.occurredAt}`;
const MAX_NOTES = 5;
// A DynamoDB item holds 400 KB; an alert message is at most a few KB.
const MAX_OUTBOX = 40;

/** A thread whose first alert is `message` (nothing posted yet). */
const newThread = (key: ThreadKey, message: AlertMessage, now: Date): ThreadRecord => ({
  ...key,
  seen: { [message.id]: now.toISOString() },
  version: 0,
  status: message,
  events: 1,
  notes: [],
  outbox: [{ id: entryId(message), kind: 'alert', message }],
  posted: [],
  revision: 1,
  shown: 0,
  dueAt: now.toISOString(),
});

const known = (record: ThreadRecord, id: string): boolean =>
  record.posted.includes(id) || record.outbox.some((entry) => entry.id === id);

// The kernel keeps an alert's delivery lease at least this long (alerts/notify.ts).
const MIN_WINDOW_SECONDS = 5 * 60;
const MAX_SEEN = 100;

/**
 * Whether the thread took this alert in already: the same entry, or the same alert (its id)
 * within its deduplication window. A delivery taken over from an attempt that died may come from
 * another decision of the same occurrence, with another time.
 */
const alreadyIn = (record: ThreadRecord, message: AlertMessage, now: Date): boolean => {
  if (known(record, entryId(message))) return true;
  const at = record.seen?.[message.id];
  const windowMs = Math.max(message.windowSeconds ?? 0, MIN_WINDOW_SECONDS) * 1000;
  return at !== undefined && now.getTime() - Date.parse(at) < windowMs;
};

const seenNow = (record: ThreadRecord, id: string, now: Date): Record<string, string> =>
  Object.fromEntries(
    [
      ...Object.entries(record.seen ?? {}).filter(([key]) => key !== id),
      [id, now.toISOString()],
    ].slice(-MAX_SEEN),
  );

/**
 * The thread with one more alert: a reply to post, and the parent's status if the alert is the
 * latest (alerts arrive out of order: an older one never replaces a newer status). The same
 * alert twice within its window changes nothing.
 */
const withAlert = (record: ThreadRecord, message: AlertMessage, now: Date): ThreadRecord => {
  const id = entryId(message);
  if (alreadyIn(record, message, now)) return record;
  const latest = Date.parse(message.occurredAt) >= Date.parse(record.status.occurredAt);
  return {
    ...record,
    status: latest ? message : record.status,
    events: record.events + 1,
    revision: latest ? record.revision + 1 : record.revision,
    outbox: [...record.outbox, { id, kind: 'alert' as const, message }].slice(-MAX_OUTBOX),
    seen: seenNow(record, message.id, now),
    dueAt: record.dueAt ?? now.toISOString(),
    refused: undefined,
  };
};

/** The thread with a note on its parent and, with `reply`, the same note as a reply. */
const withNote = (
  record: ThreadRecord,
  note: ThreadNote,
  options: { reply: boolean; now: Date },
): ThreadRecord => {
  if (record.notes.some((n) => n.id === note.id) || known(record, note.id)) return record;
  return {
    ...record,
    notes: [...record.notes, note].slice(-MAX_NOTES),
    revision: record.revision + 1,
    outbox: options.reply
      ? [...record.outbox, { id: note.id, kind: 'note' as const, note }].slice(-MAX_OUTBOX)
      : record.outbox,
    dueAt: record.dueAt ?? options.now.toISOString(),
    refused: undefined,
  };
};

/** Whether the thread has something to post: replies, the parent, or a stale parent. */
const hasWork = (record: ThreadRecord): boolean =>
  record.refused === undefined &&
  (record.outbox.length > 0 || record.ts === undefined || record.shown < record.revision);

/** The thread after `ids` were posted: out of the outbox, remembered as posted. */
const afterPosting = (record: ThreadRecord, ids: readonly string[]): ThreadRecord => ({
  ...record,
  outbox: record.outbox.filter((entry) => !ids.includes(entry.id)),
  posted: [...record.posted, ...ids].slice(-MAX_POSTED),
});

export {
  afterPosting,
  hasWork,
  newThread,
  type OutboxEntry,
  type ThreadKey,
  type ThreadNote,
  type ThreadRecord,
  withAlert,
  withNote,
};
