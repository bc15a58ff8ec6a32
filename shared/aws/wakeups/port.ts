/**
 * Wake-ups: a function asks to be invoked again when something of its own falls due (a
 * deployment's deadline or bake end, a batch run's next check), instead of running every minute.
 */
interface WakeupPort {
  /**
   * Makes sure this function is invoked at `at` (rounded up to its minute, never earlier than a
   * moment from `now`). Safe to repeat: one wake-up per function and minute ('exists' when an
   * earlier call, or another due item of the same minute, already asked for it).
   */
  wakeAt(
    at: Date,
    now: Date,
    key?: string,
  ): Promise<{ outcome: 'created' | 'exists' | 'off'; minute: string }>;
  /**
   * Cancels the wake-up of one item (`key`) asked for `at`: what it was for ended first (a
   * deployment that completed before its deadline). 'gone' when it fired or was never set.
   */
  cancel(at: Date, key: string): Promise<'deleted' | 'gone'>;
}

const MINUTE_MS = 60_000;
// A wake-up is never set closer than this to the time it is asked for: Scheduler invokes at() with
// 60-second precision, and an at() time that has passed while the request travelled is undefined.
const LEAD_MS = 30_000;

/** The minute a wake-up for `at` fires (ISO-8601, seconds zero): `at`'s minute, rounded up. */
const wakeMinute = (at: Date, now: Date): Date => {
  const earliest = Math.max(at.getTime(), now.getTime() + LEAD_MS);
  return new Date(Math.ceil(earliest / MINUTE_MS) * MINUTE_MS);
};

/** The minute a wake-up asked for `at` fires, whenever it was asked (for cancelling it). */
const askedMinute = (at: Date): Date => new Date(Math.ceil(at.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * The schedule's name (1 to 64 of [0-9a-zA-Z-_.]): the function and the minute, shared by
 * everything due then; with an item's key, the item's own (it can be cancelled alone).
 */
const wakeupName = (fn: string, minute: Date, key?: string): string => {
  const stamp = minute.toISOString().slice(0, 16).replace(/[-:]/g, '');
  return key ? `${fn}-${stamp}-${key}` : `${fn}-${stamp}`;
};

/** A short key for an item (FNV-1a, 32 bits, hex): unique enough among the items of one minute. */
const wakeupKey = (id: string): string => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/**
 * Wake-ups that are not set, and say why (the CLI's run-job, which has neither the stack's schedule
 * group nor its role: the deployed check's backstop, or `--wait`, checks the run).
 */
const noWakeups = (why: string): WakeupPort & { why: string } => ({
  why,
  wakeAt: async (at, now) => ({ outcome: 'off', minute: wakeMinute(at, now).toISOString() }),
  cancel: async () => 'gone',
});

export { askedMinute, noWakeups, type WakeupPort, wakeMinute, wakeupKey, wakeupName };
