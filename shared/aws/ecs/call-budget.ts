import { HarbormasterError } from '#kernel/errors.ts';

/** The budget's two counters: every ECS call, and the changes among them. */
type BudgetCounter = 'calls' | 'changes';

/** Limits of the ECS call budget (the `aws.ecsBudget` configuration section). */
interface EcsBudgetLimits {
  callsPerSecond: number;
  changesPerSecond: number;
  maxWaitMs: number;
}

/**
 * Where the budget's per-second counts live, shared by every execution environment of every
 * function (shared/aws/ecs/budget-store.ts keeps them in the claims table).
 */
interface BudgetWindowStore {
  /** Takes up to `want` of the `limit` tokens of `counter` in wall-clock second `second`; how many it got. */
  take(counter: BudgetCounter, second: number, want: number, limit: number): Promise<number>;
}

/** A call found the budget spent for longer than it may wait: a later attempt will get through. */
class EcsBudgetExhaustedError extends HarbormasterError {
  public constructor(operation: string, waitedMs: number) {
    super(
      `ECS call budget spent: ${operation} waited ${Math.round(waitedMs)} ms (aws.ecsBudget); retry later`,
      true,
    );
    this.name = 'EcsBudgetExhaustedError';
  }
}

/** ECS actions that change something, drawing on the `changes` counter too. */
const CHANGES: ReadonlySet<string> = new Set([
  'UpdateService',
  'DeregisterTaskDefinition',
  'TagResource',
  'UntagResource',
  'StopServiceDeployment',
  'ContinueServiceDeployment',
]);

// Tokens asked of the store at once: the calls waiting here, at most this many. A few more
// tokens than needed may go unused when the second ends, which only lowers the rate.
const MAX_BATCH = 5;

interface Holding {
  second: number;
  tokens: number;
  exhausted: boolean;
  waiting: number;
  refill: Promise<void> | undefined;
  /** The second in which the store failed, and the calls that went on without it in that second. */
  fallback: number;
  fallbackUsed: number;
}

interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const wallClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms))),
};

/** Waits until an ECS call fits the budget; throws EcsBudgetExhaustedError after `maxWaitMs`. */
interface EcsCallBudget {
  take(operation: string): Promise<void>;
}

/**
 * The account-wide ECS call budget: fixed one-second windows of wall-clock time, counted in a
 * store every execution environment shares, so that all functions together make at most
 * `callsPerSecond` calls (and `changesPerSecond` changes) in any second whatever the number of
 * events or environments. Each environment asks the store for tokens in small batches (the calls
 * queued here), one request at a time per counter, and keeps what it got for that second only.
 * If the store itself fails, the environment counts the second on its own (a DynamoDB outage
 * must not stop a rollback); reserved concurrency bounds the environments.
 */
const createEcsCallBudget = (
  limits: EcsBudgetLimits,
  store: BudgetWindowStore,
  options: { clock?: BudgetClock; onStoreError?: (error: unknown) => void } = {},
): EcsCallBudget => {
  const clock = options.clock ?? wallClock;
  const limitOf = (counter: BudgetCounter) =>
    counter === 'calls' ? limits.callsPerSecond : limits.changesPerSecond;
  const emptyHolding = (): Holding => ({
    second: -1,
    tokens: 0,
    exhausted: false,
    waiting: 0,
    refill: undefined,
    fallback: -1,
    fallbackUsed: 0,
  });
  const holdings: Record<BudgetCounter, Holding> = {
    calls: emptyHolding(),
    changes: emptyHolding(),
  };

  const refill = async (counter: BudgetCounter, held: Holding, second: number): Promise<void> => {
    let got: number;
    try {
      got = await store.take(counter, second, Math.min(MAX_BATCH, held.waiting), limitOf(counter));
    } catch (error) {
      // The store failed: this environment alone may use the second's budget (an outage of the
      // claims table fails the invocation's leases anyway; it must not also stall its ECS calls).
      options.onStoreError?.(error);
      if (held.fallback !== second) Object.assign(held, { fallback: second, fallbackUsed: 0 });
      got = Math.max(0, Math.min(held.waiting, limitOf(counter) - held.fallbackUsed));
      held.fallbackUsed += got;
    }
    if (held.second !== second) return;
    held.tokens += got;
    if (got === 0) held.exhausted = true;
  };

  const acquire = async (counter: BudgetCounter, operation: string, started: number) => {
    const held = holdings[counter];
    held.waiting += 1;
    try {
      for (;;) {
        const now = clock.now();
        const second = Math.floor(now / 1000);
        if (held.second !== second) Object.assign(held, { second, tokens: 0, exhausted: false });
        if (held.tokens > 0) {
          held.tokens -= 1;
          return;
        }
        if (!held.exhausted) {
          held.refill ??= refill(counter, held, second).finally(() => {
            held.refill = undefined;
          });
          await held.refill;
          continue;
        }
        const nextSecond = (second + 1) * 1000;
        if (nextSecond - started > limits.maxWaitMs)
          throw new EcsBudgetExhaustedError(operation, now - started);
        // A little spread, so that the environments waiting do not all ask at the same instant.
        await clock.sleep(nextSecond - now + Math.random() * 50);
      }
    } finally {
      held.waiting -= 1;
    }
  };

  return {
    take: async (operation) => {
      const started = clock.now();
      if (CHANGES.has(operation)) await acquire('changes', operation, started);
      await acquire('calls', operation, started);
    },
  };
};

export {
  type BudgetCounter,
  type BudgetWindowStore,
  createEcsCallBudget,
  EcsBudgetExhaustedError,
  type EcsBudgetLimits,
  type EcsCallBudget,
};
