import { type WakeupPort, wakeMinute } from './port.ts';

/** Wake-ups kept in memory (replays and tests): the minutes asked for, each once. */
class MemoryWakeups implements WakeupPort {
  readonly minutes = new Set<string>();

  async wakeAt(at: Date, now: Date): Promise<{ outcome: 'created' | 'exists'; minute: string }> {
    const minute = wakeMinute(at, now).toISOString();
    if (this.minutes.has(minute)) return { outcome: 'exists', minute };
    this.minutes.add(minute);
    return { outcome: 'created', minute };
  }
}

export { MemoryWakeups };
