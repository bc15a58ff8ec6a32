import { claimOver, expiryOf, freshLease, lapsed, type StoredLease } from './claim-rule.ts';
import type { ClaimOutcome, ClaimRequest, LeaseHolder, LeaseRecord, LeaseStore } from './port.ts';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * LeaseStore in memory with the DynamoDB store's semantics (the same claim rule), for offline
 * replays and tests. `now` decides when a record lapses on reads.
 */
class MemoryLeaseStore implements LeaseStore {
  readonly #records = new Map<string, StoredLease>();

  /** Every record in place, for inspection. */
  get records(): StoredLease[] {
    return [...this.#records.values()].map(copy);
  }

  async read(key: string, now: number): Promise<LeaseRecord | undefined> {
    const record = this.#records.get(key);
    return record && !lapsed(record, now) ? copy(record) : undefined;
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const existing = this.#records.get(request.key);
    if (lapsed(existing, request.now) || !existing) {
      const write = freshLease(request);
      this.#records.set(request.key, write);
      return { outcome: 'claimed', record: copy(write) };
    }
    const { outcome, write } = claimOver(existing, request);
    if (write) this.#records.set(request.key, write);
    return copy(outcome);
  }

  async markActing(key: string, holder: LeaseHolder, acting = true): Promise<boolean> {
    const record = this.#held(key, holder);
    if (!record) return false;
    record.state = acting ? 'acting' : 'held';
    if (acting) record.acted = true;
    else delete record.acted;
    return true;
  }

  async renew(key: string, holder: LeaseHolder, until: number): Promise<boolean> {
    const record = this.#held(key, holder);
    if (!record) return false;
    record.until = until;
    record.expiresAt = Math.max(record.expiresAt, Math.ceil(until / 1000));
    return true;
  }

  async release(key: string, holder: LeaseHolder): Promise<void> {
    if (this.#records.get(key)?.holder.attemptId === holder.attemptId) this.#records.delete(key);
  }

  async complete(
    key: string,
    holder: LeaseHolder,
    result: unknown,
    now: number,
    keepSeconds: number,
  ): Promise<boolean> {
    const record = this.#records.get(key);
    if (record?.holder.attemptId !== holder.attemptId) return false;
    record.state = 'done';
    record.result = copy(result);
    record.expiresAt = expiryOf(now, now, keepSeconds);
    return true;
  }

  #held(key: string, holder: LeaseHolder): StoredLease | undefined {
    const record = this.#records.get(key);
    return record?.holder.attemptId === holder.attemptId && record.state !== 'done'
      ? record
      : undefined;
  }
}

export { MemoryLeaseStore };
