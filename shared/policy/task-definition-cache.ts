import type { TaskDefinitionState } from '../core/ecs-state.ts';
import type { EcsPort } from '../core/ports.ts';

interface CacheOptions {
  maxEntries: number;
  /** How long a revision's tags (which may change, unlike the revision) are trusted. */
  tagsTtlMs: number;
  now: () => Date;
}

interface Entry {
  state: TaskDefinitionState;
  fetchedAt: number;
}

// Only a full ARN or family:revision names one immutable revision; a bare family moves.
const isRevision = (ref: string): boolean => /:\d+$/.test(ref);

/** What the cache did, for tests and the benchmark. */
interface CacheStats {
  hits: number;
  misses: number;
  size: number;
}

/**
 * An EcsPort whose describeTaskDefinition remembers revisions by ARN, in memory for the life of
 * the Lambda container, least recently used first out. Revisions never change, so repeated task
 * events cost no ECS call; their tags do, so an entry is re-read after `tagsTtlMs`, and dropped as
 * soon as Harbormaster itself tags or deregisters the revision.
 */
const cacheTaskDefinitions = (
  ecs: EcsPort,
  options: CacheOptions,
): EcsPort & { cacheStats(): CacheStats } => {
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0 };
  const forget = (ref: string) => {
    for (const [key, entry] of entries) {
      if (key === ref || entry.state.definition.taskDefinitionArn === ref) entries.delete(key);
    }
  };
  return {
    ...ecs,
    describeTaskDefinition: async (ref) => {
      const now = options.now().getTime();
      const entry = entries.get(ref);
      if (entry && now - entry.fetchedAt <= options.tagsTtlMs) {
        entries.delete(ref);
        entries.set(ref, entry);
        stats.hits += 1;
        return entry.state;
      }
      stats.misses += 1;
      const state = await ecs.describeTaskDefinition(ref);
      if (!state || !isRevision(ref)) return state;
      entries.delete(ref);
      entries.set(ref, { state, fetchedAt: now });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return state;
    },
    tagResource: async (arn, tags) => {
      forget(arn);
      await ecs.tagResource(arn, tags);
    },
    deregisterTaskDefinition: async (ref) => {
      forget(ref);
      return ecs.deregisterTaskDefinition(ref);
    },
    cacheStats: () => ({ ...stats, size: entries.size }),
  };
};

export { type CacheStats, cacheTaskDefinitions };
