import type { DedupStore } from './ports.ts';

/** A DedupStore in memory, with the DynamoDB store's claim semantics (offline replays, tests). */
class MemoryDedupStore implements DedupStore {
  readonly claims = new Map<string, number>();

  async claim(key: string, now: Date, windowSeconds: number): Promise<boolean> {
    const expiresAt = this.claims.get(key);
    if (expiresAt !== undefined && expiresAt >= now.getTime() / 1000) return false;
    this.claims.set(key, Math.floor(now.getTime() / 1000) + windowSeconds);
    return true;
  }

  async release(key: string): Promise<void> {
    this.claims.delete(key);
  }
}

export { MemoryDedupStore };
