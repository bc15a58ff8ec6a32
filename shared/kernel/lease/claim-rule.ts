import type { ClaimOutcome, ClaimRequest, LeaseRecord } from './port.ts';

/** A stored lease: its record and when it lapses. */
interface StoredLease extends LeaseRecord {
  /** Epoch seconds after which the record counts as absent (DynamoDB TTL deletes it later). */
  expiresAt: number;
}

/** When a record written at `now` lapses: after its keep time, and never before its lease ends. */
const expiryOf = (now: number, until: number, keepSeconds: number): number =>
  Math.ceil(Math.max(now / 1000 + keepSeconds, until / 1000));

/** Whether a record in place has lapsed at `now` (a claim treats it as absent). */
const lapsed = (existing: StoredLease | undefined, now: number): boolean =>
  !existing || existing.expiresAt * 1000 <= now;

/** A fresh lease for the claimer. */
const freshLease = (request: ClaimRequest): StoredLease => ({
  key: request.key,
  holder: request.holder,
  state: 'held',
  until: request.until,
  expiresAt: expiryOf(request.now, request.until, request.keepSeconds),
  ...(request.data === undefined ? {} : { data: request.data }),
});

/**
 * What a claim finds in a record that has not lapsed (see `lapsed`), and what it writes over it:
 * - this very attempt's lease (a claim whose response was lost, sent again): claimed, as it was;
 * - a done one: done;
 * - an earlier attempt's of the same request (Lambda retries one attempt after another, so that
 *   one is dead), or an expired one: taken over, keeping its data and whether anyone began to act;
 * - otherwise another invocation's live lease: held.
 */
const claimOver = (
  existing: StoredLease,
  request: ClaimRequest,
): { outcome: ClaimOutcome; write?: StoredLease } => {
  if (existing.state === 'done') return { outcome: { outcome: 'done', record: existing } };
  if (existing.holder.attemptId === request.holder.attemptId)
    return { outcome: { outcome: 'claimed', record: existing } };
  if (existing.holder.requestId === request.holder.requestId || existing.until <= request.now) {
    const write: StoredLease = {
      ...freshLease(request),
      ...(existing.data === undefined ? {} : { data: existing.data }),
      tookOver: true,
      ...(existing.acted ? { acted: true } : {}),
    };
    return { outcome: { outcome: 'claimed', record: write }, write };
  }
  return { outcome: { outcome: 'held', record: existing } };
};

export { claimOver, expiryOf, freshLease, lapsed, type StoredLease };
