import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { Config } from '#config/schema.ts';
import { wireDeadLetterQueue } from '#dead-letters/wire.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import type { InvocationResult } from '#kernel/invoke.ts';
import { createLambdaHandler, type LambdaHandler } from '#kernel/lambda.ts';
import { createRuntime, type Environment } from '#kernel/runtime.ts';
import { RecordingTelemetry } from './recording-telemetry.ts';
import type { DeclaredFunction } from './serverless-functions.ts';

/** One attempt of one invocation, as a local Lambda service would log it. */
interface Invocation {
  function: string;
  requestId: string;
  attempt: number;
  at: Date;
  event: unknown;
  result?: InvocationResult;
  error?: { name: string; message: string };
}

interface LocalLambdaOptions {
  functions: Record<string, AnyFunctionDefinition>;
  declared: readonly DeclaredFunction[];
  config: Config;
  env: Environment;
  /** A function's own environment (its role's credentials), when it differs from `env`. */
  envFor?: (name: string) => Environment;
  stage: string;
  accountId: string;
  now: () => Date;
}

/**
 * Runs Harbormaster's function definitions as the Lambda service would: each function is wired
 * once (its cold start) through the real composition root, with the real SDK clients pointed at
 * whatever endpoints `env` names. Asynchronous invocations are retried as serverless.yml says
 * (immediately, not one and two minutes apart) and then handed to their on-failure destination
 * with a Lambda destination record.
 */
class LocalLambda {
  readonly invocations: Invocation[] = [];
  readonly telemetry: Record<string, RecordingTelemetry> = {};
  readonly #options: LocalLambdaOptions;
  readonly #handlers = new Map<string, Promise<LambdaHandler>>();
  readonly #listeners = new Set<(invocation: Invocation) => void>();

  /** Calls `listener` after every attempt finishes; returns unsubscribe. */
  onInvocation(listener: (invocation: Invocation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  constructor(options: LocalLambdaOptions) {
    this.#options = options;
  }

  /** The deployed name of a function, as serverless.yml names it. */
  functionName(name: string): string {
    return `harbormaster-${this.#options.stage}-${name}`;
  }

  /** Invokes once and synchronously (RequestResponse); an error propagates to the caller. */
  async invoke(
    name: string,
    event: unknown,
    requestId = randomUUID(),
    attempt = 1,
  ): Promise<InvocationResult> {
    const handler = await this.#handler(name);
    const record: Invocation = {
      function: name,
      requestId,
      attempt,
      at: this.#options.now(),
      event,
    };
    this.invocations.push(record);
    try {
      record.result = await handler(event, this.#context(name, requestId));
      return record.result;
    } catch (error) {
      record.error = { name: (error as Error).name, message: (error as Error).message };
      throw error;
    } finally {
      for (const listener of this.#listeners) listener(record);
    }
  }

  /** Invokes asynchronously (Event): retries, then the on-failure destination. Never rejects. */
  async invokeAsync(name: string, event: unknown): Promise<InvocationResult | undefined> {
    const declared = this.#declared(name);
    const requestId = randomUUID();
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= declared.maximumRetryAttempts + 1; attempt += 1) {
      try {
        return await this.invoke(name, event, requestId, attempt);
      } catch (error) {
        lastError = error as Error;
      }
    }
    await this.#deadLetter(declared, event, requestId, lastError);
    return undefined;
  }

  async #deadLetter(
    declared: DeclaredFunction,
    event: unknown,
    requestId: string,
    error: Error | undefined,
  ): Promise<void> {
    const { now } = this.#options;
    const record = {
      version: '1.0',
      timestamp: now().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${this.#functionArn(declared.name)}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: declared.maximumRetryAttempts + 1,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: error?.name ?? 'Error',
        errorMessage: error?.message ?? 'unknown error',
      },
    };
    if (declared.onFailure === 'sqs') {
      const runtime = this.#runtime(declared.name);
      await wireDeadLetterQueue(runtime).park(this.functionName(declared.name), record);
    } else if (declared.onFailure) {
      await this.invokeAsync(declared.onFailure, record);
    }
  }

  #functionArn(name: string): string {
    const { env, accountId } = this.#options;
    return `arn:aws:lambda:${env.AWS_REGION}:${accountId}:function:${this.functionName(name)}`;
  }

  #declared(name: string): DeclaredFunction {
    const declared = this.#options.declared.find((fn) => fn.name === name);
    if (!declared) throw new Error(`serverless.yml declares no function "${name}"`);
    return declared;
  }

  #runtime(name: string) {
    this.telemetry[name] ??= new RecordingTelemetry();
    return createRuntime({
      functionName: this.functionName(name),
      config: this.#options.config,
      env: this.#options.envFor?.(name) ?? this.#options.env,
      telemetry: this.telemetry[name],
      now: this.#options.now,
    });
  }

  #handler(name: string): Promise<LambdaHandler> {
    let handler = this.#handlers.get(name);
    if (!handler) {
      const definition = this.#options.functions[name];
      if (!definition) throw new Error(`no function definition named "${name}"`);
      const runtime = this.#runtime(name);
      handler = definition
        .wire(runtime)
        .then((ports) => createLambdaHandler(definition, runtime, ports));
      this.#handlers.set(name, handler);
    }
    return handler;
  }

  #context(name: string, requestId: string): Context {
    const functionName = this.functionName(name);
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.#functionArn(name),
      memoryLimitInMB: '256',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      // Middy aborts a handler that outlives its Lambda timeout: give it the declared one.
      getRemainingTimeInMillis: () =>
        (this.#options.declared.find((fn) => fn.name === name)?.timeoutSeconds ?? 30) * 1000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }
}

export { type Invocation, LocalLambda };
