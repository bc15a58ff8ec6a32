import type { Action } from './action.ts';
import type { Invocation } from './invocation.ts';
import type { LeaseRecord, LeaseStore } from './lease/port.ts';
import { holderOf, leaseEnd } from './lease/run-once.ts';

/**
 * A plan is kept long after EventBridge stops retrying a delivery (24 hours) and Lambda drops an
 * event from its queue (6 hours at most): a redelivery within it finds the event handled.
 */
const PLAN_KEEP_SECONDS = 7 * 24 * 60 * 60;
// DynamoDB items hold 400 KB; a plan larger than this is carried out without a journal.
const MAX_PLAN_CHARACTERS = 300_000;

/**
 * Lambda retries an attempt that ran (and failed, timed out or crashed) one and then two minutes
 * after it ended (invocation-async-error-handling). An attempt that starts less than this from the
 * time its event was sent is therefore its request's first: no dead attempt of it left a plan.
 */
const FIRST_ATTEMPT_WINDOW_MS = 30_000;

/** When the sender stamped the event: EventBridge's `time`, a destination record's `timestamp`. */
const sentAtOf = (raw: unknown): number | undefined => {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { time, timestamp } = raw as { time?: unknown; timestamp?: unknown };
  const stamp = typeof time === 'string' ? time : timestamp;
  const ms = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * Whether this attempt is surely its request's first (sent moments ago), so the plan read before
 * deciding can be skipped. A copy of the event (another request) that skips it still meets a
 * copy's plan when it records its own (the claim finds it), and leaves a plan it does not meet to
 * that copy's own retries, which are not first attempts and read it.
 */
const isFirstAttempt = (raw: unknown, now: Date): boolean => {
  const sent = sentAtOf(raw);
  if (sent === undefined) return false;
  const age = now.getTime() - sent;
  return age > -FIRST_ATTEMPT_WINDOW_MS && age < FIRST_ATTEMPT_WINDOW_MS;
};

/** What the journal says to do with an event. */
type JournalEntry<A> =
  | { kind: 'new' }
  /** `recorded`: the plan is this attempt's lease in the journal, to be closed once carried out. */
  | { kind: 'carry-out'; actions: A[]; resumed: boolean; recorded: boolean }
  | { kind: 'drop'; reason: string };

interface Journal {
  leases: LeaseStore;
  key: string;
  invocation: Invocation;
  clock: () => Date;
}

const hex = (bytes: ArrayBuffer): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The journal key of an event for a function: its EventBridge id (the same on every delivery and
 * retry of one event), or a SHA-256 of the event when it has none.
 */
const planKey = async (
  functionName: string,
  eventId: string | undefined,
  raw: unknown,
): Promise<string> => {
  const id =
    eventId ??
    `sha256:${hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(raw))))}`;
  return `plan#${functionName}#${id}`;
};

const fromClaim = <A>(
  journal: Journal,
  claim: Awaited<ReturnType<LeaseStore['claim']>>,
  fallback: A[] | undefined,
): JournalEntry<A> => {
  if (claim.outcome === 'done')
    return { kind: 'drop', reason: `this event was handled already (${describe(claim.record)})` };
  if (claim.outcome === 'held')
    return {
      kind: 'drop',
      reason: `a copy of this event is in hand by request ${claim.record.holder.requestId}, whose retries and dead-letter path answer for it`,
    };
  const actions = (claim.record.data as A[] | undefined) ?? fallback;
  if (!actions) return { kind: 'new' };
  return {
    kind: 'carry-out',
    actions,
    recorded: true,
    resumed:
      claim.record.holder.attemptId !== journal.invocation.attemptId || !!claim.record.tookOver,
  };
};

const describe = (record: LeaseRecord): string => {
  const result = record.result as { reason?: string } | undefined;
  return `by request ${record.holder.requestId}${result?.reason ? `: ${result.reason}` : ''}`;
};

const claimFor = (journal: Journal, data: unknown) =>
  journal.leases.claim({
    key: journal.key,
    holder: holderOf(journal.invocation),
    now: journal.clock().getTime(),
    until: leaseEnd(journal),
    keepSeconds: PLAN_KEEP_SECONDS,
    ...(data === undefined ? {} : { data }),
  });

/**
 * Before deciding: the plan an earlier attempt (or a copy that died) recorded for this event is
 * carried out as it was decided, since the state it was decided on has changed under its own
 * partial work; a done plan, or one a live copy holds, drops this delivery.
 */
const openPlan = async <A>(journal: Journal): Promise<JournalEntry<A>> => {
  const found = await journal.leases.read(journal.key, journal.clock().getTime());
  if (!found) return { kind: 'new' };
  return fromClaim<A>(journal, await claimFor(journal, undefined), undefined);
};

/** After deciding: records the plan as this attempt's lease, unless a copy was quicker. */
const recordPlan = async <A extends Action>(
  journal: Journal,
  actions: A[],
): Promise<JournalEntry<A>> => {
  if (JSON.stringify(actions).length > MAX_PLAN_CHARACTERS)
    return { kind: 'carry-out', actions, resumed: false, recorded: false };
  return fromClaim<A>(journal, await claimFor(journal, actions), actions);
};

/** Marks the plan carried out, with what became of it. */
const closePlan = async (journal: Journal, result: { outcome: string; reason: string }) => {
  const at = journal.clock().getTime();
  await journal.leases.complete(
    journal.key,
    holderOf(journal.invocation),
    result,
    at,
    PLAN_KEEP_SECONDS,
  );
};

export {
  closePlan,
  isFirstAttempt,
  type Journal,
  type JournalEntry,
  openPlan,
  planKey,
  recordPlan,
};
