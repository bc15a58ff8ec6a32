import { AsyncLocalStorage } from 'node:async_hooks';

/** One attempt of one invocation, as the host tracks it while it runs. */
interface Attempt {
  readonly function: string;
  readonly requestId: string;
  readonly number: number;
  /** Set when the attempt died (a crash, a timeout): it makes no call after that. */
  death: string | undefined;
  /** Ends the attempt as a dead process would end. */
  kill(why: string): void;
  readonly died: Promise<string>;
}

/** An SDK call an attempt made and got an answer to, as the host's fault hooks see it. */
interface CompletedCall {
  attempt: Attempt;
  command: string;
  input: Record<string, unknown>;
}

const current = new AsyncLocalStorage<Attempt>();

const newAttempt = (fn: string, requestId: string, number: number): Attempt => {
  let die: (why: string) => void = () => undefined;
  const died = new Promise<string>((resolve) => {
    die = resolve;
  });
  const attempt: Attempt = {
    function: fn,
    requestId,
    number,
    death: undefined,
    died,
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

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: string; name: string }): void;
}

/**
 * Adds the host's middleware to an AWS SDK client a function built: a call of an attempt that
 * died is never sent and never answered, and each answered call is shown to `afterCall` (the
 * chaos mode's crash points), which may kill the attempt before the answer reaches it. Anything
 * that is not an SDK client is returned as it is.
 */
const instrumentClient = <T>(value: T, afterCall: (call: CompletedCall) => void): T => {
  const stack = (value as { middlewareStack?: MiddlewareStackLike } | undefined)?.middlewareStack;
  if (!stack || typeof stack.add !== 'function') return value;
  stack.add(
    (
      next: (args: { input: Record<string, unknown> }) => Promise<unknown>,
      context: { commandName?: string },
    ) =>
      async (args: { input: Record<string, unknown> }) => {
        const attempt = current.getStore();
        if (attempt?.death) return never();
        const output = await next(args);
        if (attempt) {
          afterCall({ attempt, command: context.commandName ?? '', input: args.input });
          if (attempt.death) return never();
        }
        return output;
      },
    { step: 'initialize', name: 'localLambdaAttempt' },
  );
  return value;
};

export { type Attempt, type CompletedCall, current, instrumentClient, newAttempt };
