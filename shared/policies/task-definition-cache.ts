import type { EcsPort } from '#aws/ecs/port.ts';
import type { TaskDefinitionState } from '#aws/ecs/state.ts';

interface CacheOptions {
  maxEntries: number;
  /** How long a revision's tags (which may change, unlike the revision) are trusted. */
  tagsTtlMs: number;
  now: () => Date;
}

interface Entry {
  /** The describe, shared by callers that ask while it is in flight. */
  state: Promise<TaskDefinitionState | undefined>;
  fetchedAt: number;
  arn: string | undefined;
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
 * soon as Harbormaster itself tags or deregisters the revision. A revision not found, or a failed
 * describe, is not remembered.
 */
const cacheTaskDefinitions = (
  ecs: EcsPort,
  options: CacheOptions,
): EcsPort & { cacheStats(): CacheStats } => {
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0 };
  const forget = (ref: string) => {
    for (const [key, entry] of entries) {
      if (key === ref || entry.arn === ref) entries.delete(key);
    }
  };
  const remember = (ref: string, entry: Entry) => {
    entries.delete(ref);
    entries.set(ref, entry);
    while (entries.size > options.maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };
  return {
    ...ecs,
    describeTaskDefinition: async (ref) => {
      const now = options.now().getTime();
      const cached = entries.get(ref);
      if (cached && now - cached.fetchedAt <= options.tagsTtlMs) {
        remember(ref, cached);
        stats.hits += 1;
        return cached.state;
      }
      stats.misses += 1;
      const state = ecs.describeTaskDefinition(ref);
      if (!isRevision(ref)) return state;
      const entry: Entry = { state, fetchedAt: now, arn: undefined };
      remember(ref, entry);
      try {
        const described = await state;
        if (described) entry.arn = described.definition.taskDefinitionArn;
        else if (entries.get(ref) === entry) entries.delete(ref);
        return described;
      } catch (error) {
        if (entries.get(ref) === entry) entries.delete(ref);
        throw error;
      }
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
