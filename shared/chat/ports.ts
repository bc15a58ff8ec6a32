import type { ThreadKey, ThreadRecord } from './threads/record.ts';

/**
 * Where threads are kept. `save` is a conditional write: it succeeds only if the stored record
 * still has the version the caller read (`expected`; undefined: no record yet), and stores the
 * record with the next version. A write whose answer was lost and that is sent again finds the
 * version moved and reads again: no change is ever applied twice, none is lost.
 */
interface ThreadStore {
  get(key: ThreadKey): Promise<ThreadRecord | undefined>;
  save(record: ThreadRecord, expected: number | undefined): Promise<boolean>;
  /** Threads with something to post that was due at `now` (at most `limit`). */
  due(now: Date, limit: number): Promise<ThreadKey[]>;
}

/** A silence on one alert of one service, and who asked for it. */
interface Snooze {
  key: string;
  /** What is silenced, in words. */
  label: string;
  until: string;
  by: string;
  at: string;
}

/** Where snoozes are kept. */
interface SnoozeStore {
  /** The snooze on `key` still in force at `now`, if any. */
  active(key: string, now: Date): Promise<Snooze | undefined>;
  /**
   * Sets a snooze unless one in force lasts at least as long: true if this call set it (a
   * conditional write on the previous `until`).
   */
  extend(snooze: Snooze, now: Date): Promise<boolean>;
}

export type { Snooze, SnoozeStore, ThreadStore };
