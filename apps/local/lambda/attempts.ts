import { AsyncLocalStorage } from 'node:async_hooks';

/** One attempt of one invocation, as the host tracks it while it runs. */
interface Attempt {
  readonly function: string;
  readonly requestId: string;
  readonly number: number;
  /**
   * Whether the caller waits for the answer (RequestResponse: an ECS lifecycle hook); Lambda
   * retries only asynchronous invocations.
   */
  readonly synchronous: boolean;
  /** Set when the attempt died (a crash, a timeout): it makes no call after that. */
  death: string | undefined;
  /** Ends the attempt as a dead process would end. */
  kill(why: string): void;
  readonly died: Promise<string>;
  /** Milliseconds until the function's timeout ends the attempt (its context's remaining time). */
  remainingMs(): number;
  /** The service (the SDK's serviceId: DynamoDB, ECS, SNS...) of each command it sent, in order. */
  readonly calls: string[];
}

/** An SDK call an attempt made and got an answer to, as the host's fault hooks see it. */
interface CompletedCall {
  attempt: Attempt;
  command: string;
  input: Record<string, unknown>;
}

const current = new AsyncLocalStorage<Attempt>();

const newAttempt = (
  fn: string,
  requestId: string,
  number: number,
  remainingMs: () => number,
  synchronous = false,
): Attempt => {
  let die: (why: string) => void = () => undefined;
  const died = new Promise<string>((resolve) => {
    die = resolve;
  });
  const attempt: Attempt = {
    function: fn,
    requestId,
    number,
    synchronous,
    death: undefined,
    died,
    remainingMs,
    calls: [],
    kill: (why) => {
      if (attempt.death) return;
      attempt.death = why;
      die(why);
    },
  };
  return attempt;
};

// A call of a dead attempt: it never answers, so no code after it (no catch, no finally) runs.
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * Whether the attempt is dead: killed, or past its timeout, which Lambda enforces by ending the
 * process ("Task timed out after N seconds"): nothing it does after its deadline reaches AWS.
 */
const isDead = (attempt: Attempt): boolean => {
  if (!attempt.death && attempt.remainingMs() <= 0) attempt.kill('timed out');
  return attempt.death !== undefined;
};

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: string; name: string }): void;
}

interface RetryStrategyLike {
  retryBackoffStrategy?: unknown;
  standardRetryStrategy?: RetryStrategyLike;
}

// The SDK's retry strategies wait in real time between attempts (100 ms, and 500 ms for throttling,
// doubling). Simulated time stands still while an attempt runs, so the wait refills no token
// bucket and changes nothing but the wall clock: the host's clients retry at once.
const NO_BACKOFF = { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined };

const withoutBackoff = (client: unknown): void => {
  const config = (client as { config?: { retryStrategy?: unknown } }).config;
  const resolve = config?.retryStrategy;
  if (!config || typeof resolve !== 'function') return;
  config.retryStrategy = async () => {
    const strategy = (await resolve()) as RetryStrategyLike | undefined;
    // Standard mode holds the backoff itself; adaptive mode holds a standard strategy.
    for (const s of [strategy, strategy?.standardRetryStrategy])
      if (s && 'retryBackoffStrategy' in s) s.retryBackoffStrategy = NO_BACKOFF;
    return strategy;
  };
};

/**
 * Adds the host's middleware to an AWS SDK client a function built: a call of an attempt that
 * died is never sent and never answered, and each answered call is shown to `afterCall` (the
 * chaos mode's crash points), which may kill the attempt before the answer reaches it. Its
 * retries do not wait (see NO_BACKOFF). Anything that is not an SDK client is returned as it is.
 */
const instrumentClient = <T>(value: T, afterCall: (call: CompletedCall) => void): T => {
  const stack = (value as { middlewareStack?: MiddlewareStackLike } | undefined)?.middlewareStack;
  if (!stack || typeof stack.add !== 'function') return value;
  withoutBackoff(value);
  const service =
    (value as { config?: { serviceId?: unknown } }).config?.serviceId?.toString() ?? 'unknown';
  stack.add(
    (
      next: (args: { input: Record<string, unknown> }) => Promise<unknown>,
      context: { commandName?: string },
    ) =>
      async (args: { input: Record<string, unknown> }) => {
        const attempt = current.getStore();
        if (attempt && isDead(attempt)) return never();
        attempt?.calls.push(service);
        const output = await next(args);
        if (attempt) {
          afterCall({ attempt, command: context.commandName ?? '', input: args.input });
          if (isDead(attempt)) return never();
        }
        return output;
      },
    { step: 'initialize', name: 'localLambdaAttempt' },
  );
  return value;
};

export { type Attempt, type CompletedCall, current, instrumentClient, isDead, newAttempt };
