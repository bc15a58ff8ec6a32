/** RunTask limits to stay under: calls per second, and a task-launch bucket (Fargate's documented quotas). */
interface RunTaskLimits {
  callsPerSecond: number;
  tasksPerSecond: number;
  taskBurst: number;
}

/** Waits before each RunTask call until both buckets hold enough tokens. */
interface RunTaskPacer {
  /** Resolves when a call launching `tasks` tasks may be made, and takes the tokens. */
  acquire(tasks: number): Promise<void>;
  /** After throttling (another caller shares the account's buckets): empties ours so the next call waits. */
  backOff(): void;
}

interface Bucket {
  capacity: number;
  perSecond: number;
  tokens: number;
  at: number;
}

const refill = (bucket: Bucket, now: number): void => {
  bucket.tokens = Math.min(
    bucket.capacity,
    bucket.tokens + ((now - bucket.at) / 1000) * bucket.perSecond,
  );
  bucket.at = now;
};

const waitFor = (bucket: Bucket, need: number): number =>
  bucket.tokens >= need ? 0 : ((need - bucket.tokens) / bucket.perSecond) * 1000;

const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.ceil(ms)));

/**
 * Token buckets mirroring the limits ECS enforces, so that a 1,000-task run is paced instead of
 * throttled: the call bucket holds `callsPerSecond` (burst and rate), the launch bucket
 * `taskBurst` tasks refilling at `tasksPerSecond`. One pacer per Lambda container; calls queue up.
 */
const createRunTaskPacer = (
  limits: RunTaskLimits,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => performance.now(),
    sleep: realSleep,
  },
): RunTaskPacer => {
  const start = clock.now();
  // The call bucket holds a second's worth of calls, and at least one call.
  const callBurst = Math.max(1, limits.callsPerSecond);
  const calls: Bucket = {
    capacity: callBurst,
    perSecond: limits.callsPerSecond,
    tokens: callBurst,
    at: start,
  };
  const tasks: Bucket = {
    capacity: limits.taskBurst,
    perSecond: limits.tasksPerSecond,
    tokens: limits.taskBurst,
    at: start,
  };
  let queue: Promise<void> = Promise.resolve();
  const take = async (count: number): Promise<void> => {
    const need = Math.min(count, tasks.capacity);
    for (;;) {
      const now = clock.now();
      refill(calls, now);
      refill(tasks, now);
      const wait = Math.max(waitFor(calls, 1), waitFor(tasks, need));
      if (wait <= 0) break;
      await clock.sleep(wait);
    }
    calls.tokens -= 1;
    tasks.tokens -= need;
  };
  return {
    acquire: (count) => {
      const turn = queue.then(() => take(count));
      queue = turn.catch(() => undefined);
      return turn;
    },
    backOff: () => {
      calls.tokens = Math.min(calls.tokens, 0);
      tasks.tokens = Math.min(tasks.tokens, 0);
    },
  };
};

export { createRunTaskPacer, type RunTaskLimits, type RunTaskPacer };
