import { askedMinute, type WakeupPort, wakeMinute, wakeupName } from './port.ts';

/** Wake-ups kept in memory (replays and tests): the schedule names asked for, each once. */
class MemoryWakeups implements WakeupPort {
  readonly minutes = new Set<string>();

  async wakeAt(
    at: Date,
    now: Date,
    key?: string,
  ): Promise<{ outcome: 'created' | 'exists'; minute: string }> {
    const minute = wakeMinute(at, now);
    const name = wakeupName('fn', minute, key);
    if (this.minutes.has(name)) return { outcome: 'exists', minute: minute.toISOString() };
    this.minutes.add(name);
    return { outcome: 'created', minute: minute.toISOString() };
  }

  async cancel(at: Date, key: string): Promise<'deleted' | 'gone'> {
    const first = askedMinute(at);
    const names = [first, new Date(first.getTime() + 60_000)].map((m) => wakeupName('fn', m, key));
    const found = names.filter((n) => this.minutes.delete(n));
    return found.length > 0 ? 'deleted' : 'gone';
  }
}

export { MemoryWakeups };
