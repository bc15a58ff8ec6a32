import type { Snooze, SnoozeStore, ThreadStore } from './ports.ts';
import type { ThreadKey, ThreadRecord } from './threads/record.ts';

const id = (key: ThreadKey): string => `${key.channel}\u0000${key.threadId}`;

/** Threads and snoozes in memory, with the DynamoDB store's conditions (tests, replays). */
class MemoryChatStore implements ThreadStore, SnoozeStore {
  readonly threads = new Map<string, ThreadRecord>();
  readonly snoozes = new Map<string, Snooze>();

  async get(key: ThreadKey): Promise<ThreadRecord | undefined> {
    const record = this.threads.get(id(key));
    return record ? structuredClone(record) : undefined;
  }

  async save(record: ThreadRecord, expected: number | undefined): Promise<boolean> {
    const stored = this.threads.get(id(record));
    if (expected === undefined ? stored !== undefined : stored?.version !== expected) return false;
    this.threads.set(id(record), structuredClone({ ...record, version: (expected ?? -1) + 1 }));
    return true;
  }

  async due(now: Date, limit: number): Promise<ThreadKey[]> {
    return [...this.threads.values()]
      .filter((r) => r.dueAt !== undefined && r.dueAt <= now.toISOString())
      .sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)))
      .slice(0, limit)
      .map((r) => ({ channel: r.channel, threadId: r.threadId }));
  }

  async active(key: string, now: Date): Promise<Snooze | undefined> {
    const snooze = this.snoozes.get(key);
    return snooze && Date.parse(snooze.until) > now.getTime() ? snooze : undefined;
  }

  async extend(snooze: Snooze, now: Date): Promise<boolean> {
    const current = await this.active(snooze.key, now);
    if (current && current.until >= snooze.until) return false;
    this.snoozes.set(snooze.key, snooze);
    return true;
  }
}

export { MemoryChatStore };
