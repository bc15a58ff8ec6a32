import { TransientError } from '#kernel/errors.ts';
import type { ThreadStore } from '../ports.ts';
import type { ThreadKey, ThreadRecord } from './record.ts';

const MAX_TRIES = 20;

/**
 * Read, change, write back on condition; again if another invocation wrote in between. `change`
 * returns the record to store, or the one it was given (or undefined) to store nothing; it must
 * be pure, since it may run more than once. Resolves to the record as stored.
 */
const updateThread = async (
  store: ThreadStore,
  key: ThreadKey,
  change: (current: ThreadRecord | undefined) => ThreadRecord | undefined,
): Promise<ThreadRecord | undefined> => {
  for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
    const current = await store.get(key);
    const next = change(current);
    if (next === undefined || next === current) return current;
    if (await store.save(next, current?.version))
      return { ...next, version: (current?.version ?? -1) + 1 };
  }
  throw new TransientError(
    `the thread ${key.threadId} in ${key.channel} kept changing under ${MAX_TRIES} writes`,
  );
};

export { updateThread };
