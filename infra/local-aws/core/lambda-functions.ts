import { uuid } from './ids.ts';

/** What a hosted function is called with besides its event. */
export interface LambdaInvocationContext {
  functionArn: string;
  requestId: string;
}

/** A function the host runs for a Lambda ARN or name: returns (or resolves to) its answer. */
export type LambdaHandler = (event: unknown, context: LambdaInvocationContext) => unknown;

/** One synchronous (RequestResponse) invocation, as the endpoint saw it. */
export interface LambdaInvocationRecord {
  functionArn: string;
  requestId: string;
  at: Date;
  event: unknown;
  result?: unknown;
  error?: { name: string; message: string };
}

/** The error an invocation rejects with when no function answers to the ARN. */
export class LambdaFunctionNotFound extends Error {
  constructor(functionArn: string) {
    super(`Function not found: ${functionArn}`);
    this.name = 'ResourceNotFoundException';
  }
}

// "arn:aws:lambda:us-east-1:123456789012:function:my-hook:live" → "my-hook"; a bare name stays.
const functionNameOf = (ref: string): string => {
  const match = /^arn:[^:]+:lambda:[^:]*:\d*:function:([^:]+)(?::[^:]+)?$/.exec(ref);
  return match?.[1] ?? ref;
};

/**
 * The Lambda functions AWS services invoke on the caller's behalf (ECS lifecycle hooks). The
 * endpoint runs no Lambda itself: a host registers a handler per function ARN or name, and a
 * service's invocation calls it. A function nobody registered fails as Lambda's
 * ResourceNotFoundException would.
 */
export class LambdaFunctions {
  readonly #handlers = new Map<string, LambdaHandler>();
  readonly #now: () => Date;
  /** Every invocation, oldest first. */
  readonly invocations: LambdaInvocationRecord[] = [];

  constructor(now: () => Date) {
    this.#now = now;
  }

  /**
   * Runs `handler` for invocations of `functionArnOrName` (any qualifier: `$LATEST`, a version or
   * an alias reaches the same handler); returns the function that unregisters it.
   */
  onInvoke(functionArnOrName: string, handler: LambdaHandler): () => void {
    const name = functionNameOf(functionArnOrName);
    this.#handlers.set(name, handler);
    return () => {
      if (this.#handlers.get(name) === handler) this.#handlers.delete(name);
    };
  }

  /** Whether a handler answers to the ARN or name. */
  has(functionArnOrName: string): boolean {
    return this.#handlers.has(functionNameOf(functionArnOrName));
  }

  /** Invokes synchronously: resolves to the function's answer, rejects with its error. */
  async invoke(functionArn: string, event: unknown): Promise<unknown> {
    const record: LambdaInvocationRecord = {
      functionArn,
      requestId: uuid(),
      at: this.#now(),
      event: structuredClone(event),
    };
    this.invocations.push(record);
    try {
      const handler = this.#handlers.get(functionNameOf(functionArn));
      if (handler === undefined) throw new LambdaFunctionNotFound(functionArn);
      // Lambda hands the function a JSON document and returns its answer serialised as JSON.
      const answer = await handler(JSON.parse(JSON.stringify(event)), {
        functionArn,
        requestId: record.requestId,
      });
      record.result = answer === undefined ? null : JSON.parse(JSON.stringify(answer));
      return record.result;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      record.error = { name: failure.name, message: failure.message };
      throw failure;
    }
  }
}
