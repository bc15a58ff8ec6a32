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
  wakeAt(at: Date, now: Date): Promise<{ outcome: 'created' | 'exists'; minute: string }>;
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

/** The schedule's name: the function and the minute (1 to 64 of [0-9a-zA-Z-_.]). */
const wakeupName = (fn: string, minute: Date): string => {
  const stamp = minute.toISOString().slice(0, 16).replace(/[-:]/g, '');
  return `${fn}-${stamp}`;
};

export { type WakeupPort, wakeMinute, wakeupName };
