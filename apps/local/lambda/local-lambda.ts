import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createMemoryBudgetStore } from '#aws/ecs/budget-store.ts';
import { createEcsCallBudget } from '#aws/ecs/call-budget.ts';
import type { Config } from '#config/schema.ts';
import { wireDeadLetterQueue } from '#dead-letters/wire.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import type { InvocationResult } from '#kernel/invoke.ts';
import { createLambdaHandler, type LambdaHandler } from '#kernel/lambda.ts';
import { createRuntime, type Environment } from '#kernel/runtime.ts';
import { type CompletedCall, current, instrumentClient, isDead, newAttempt } from './attempts.ts';
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
  /** Why the attempt died (a crash the chaos mode injected, a timeout), when it did. */
  died?: string;
  /** The service of each SDK command the attempt sent (DynamoDB, ECS, SNS...). */
  calls?: string[];
  /**
   * Process CPU milliseconds while the attempt ran, when no other attempt ran meanwhile
   * (`ranAlone`): the function's own work plus the embedded endpoint serving its calls.
   */
  cpuMs?: number;
  ranAlone?: boolean;
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
  /** Runs `run` after `delayMs` of simulated time (Lambda's retry delays). */
  schedule: (delayMs: number, run: () => void) => void;
  /** Counts hosted work as activity the endpoint's settle waits for. */
  track: <T>(work: Promise<T>) => Promise<T>;
  /** Timeouts (seconds) that replace serverless.yml's, by function name. */
  timeouts?: Record<string, number> | undefined;
  /** Sees every SDK call an attempt made and got an answer to; may kill the attempt. */
  afterCall?: (call: CompletedCall) => void;
}

// Lambda's retries of an asynchronous invocation: one minute after the first attempt failed, two
// minutes after the second (invocation-async-error-handling).
const RETRY_DELAYS_MS = [60_000, 120_000];

/**
 * Runs Harbormaster's function definitions as the Lambda service would: each function is wired
 * once (its cold start) through the real composition root, with the real SDK clients pointed at
 * whatever endpoints `env` names. Each attempt has a deadline (the function's timeout) that its
 * remaining time counts down to, in simulated and in real time. Asynchronous invocations are
 * retried as Lambda retries them (the same request id, one and then two minutes later in
 * simulated time, as many times as serverless.yml allows) and then handed to their on-failure
 * destination with a Lambda destination record. An attempt that dies (`Attempt.kill`) is a dead
 * process: its pending call never answers and it makes no other, and Lambda's retry follows.
 */
class LocalLambda {
  readonly invocations: Invocation[] = [];
  readonly telemetry: Record<string, RecordingTelemetry> = {};
  readonly #options: LocalLambdaOptions;
  readonly #handlers = new Map<string, Promise<LambdaHandler>>();
  readonly #listeners = new Set<(invocation: Invocation) => void>();
  readonly #running = new Set<Invocation>();

  /** Calls `listener` after every attempt finishes; returns unsubscribe. */
  onInvocation(listener: (invocation: Invocation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The ECS call budget's counts, shared by every function this process hosts (in AWS they are in
   * the claims table, shared by every execution environment): the simulation's own DynamoDB calls
   * and their faults stay what the functions make.
   */
  readonly #budgetStore = createMemoryBudgetStore();

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
    requestId: string = randomUUID(),
    attempt = 1,
    synchronous = true,
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
    const context = this.#context(name, requestId, record.at);
    const running = newAttempt(
      name,
      requestId,
      attempt,
      context.getRemainingTimeInMillis,
      synchronous,
    );
    // CPU is attributed to an attempt only while no other attempt runs (the bench's cost model).
    record.ranAlone = this.#running.size === 0;
    for (const other of this.#running) other.ranAlone = false;
    this.#running.add(record);
    const cpuAtStart = process.cpuUsage();
    try {
      const work = current.run(running, () => handler(event, context));
      const result = await Promise.race([
        work,
        running.died.then((why) => {
          throw Object.assign(new Error(`attempt died: ${why}`), { name: 'AttemptDied' });
        }),
      ]);
      // An answer given after the deadline never reaches Lambda: the attempt timed out.
      if (isDead(running))
        throw Object.assign(new Error('attempt died: timed out'), { name: 'AttemptDied' });
      record.result = result;
      return record.result;
    } catch (error) {
      record.error = { name: (error as Error).name, message: (error as Error).message };
      if (running.death) record.died = running.death;
      throw error;
    } finally {
      const cpu = process.cpuUsage(cpuAtStart);
      this.#running.delete(record);
      record.cpuMs = (cpu.user + cpu.system) / 1000;
      record.calls = running.calls;
      for (const listener of this.#listeners) listener(record);
    }
  }

  /**
   * Invokes asynchronously (Event): resolves after the first attempt; failed attempts are retried
   * on the simulated clock, and the last failure goes to the on-failure destination. Never rejects.
   */
  async invokeAsync(name: string, event: unknown): Promise<InvocationResult | undefined> {
    return this.#attemptAsync(name, event, randomUUID(), 1);
  }

  async #attemptAsync(
    name: string,
    event: unknown,
    requestId: string,
    attempt: number,
  ): Promise<InvocationResult | undefined> {
    const declared = this.#declared(name);
    try {
      return await this.invoke(name, event, requestId, attempt, false);
    } catch (error) {
      if (attempt > declared.maximumRetryAttempts) {
        await this.#deadLetter(declared, event, requestId, error as Error);
        return undefined;
      }
      const delay = RETRY_DELAYS_MS[attempt - 1] ?? RETRY_DELAYS_MS.at(-1) ?? 60_000;
      this.#options.schedule(delay, () => {
        void this.#options.track(this.#attemptAsync(name, event, requestId, attempt + 1));
      });
      return undefined;
    }
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
    const runtime = createRuntime({
      functionName: this.functionName(name),
      config: this.#options.config,
      env: this.#options.envFor?.(name) ?? this.#options.env,
      telemetry: this.telemetry[name],
      now: this.#options.now,
    });
    const budget = createEcsCallBudget(this.#options.config.aws.ecsBudget, this.#budgetStore);
    runtime.once('ecs-call-budget', () => budget);
    // Every AWS client the function builds goes through the host, which knows its attempts.
    const once = runtime.once.bind(runtime);
    const afterCall = (call: CompletedCall) => this.#options.afterCall?.(call);
    runtime.once = <T>(key: string, build: () => T): T =>
      once(key, () => instrumentClient(build(), afterCall));
    return runtime;
  }

  /** The function's timeout in milliseconds: the host's override, or serverless.yml's. */
  #timeoutMs(name: string): number {
    const seconds = this.#options.timeouts?.[name] ?? this.#declared(name).timeoutSeconds ?? 30;
    return seconds * 1000;
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

  #context(name: string, requestId: string, startedAt: Date): Context {
    const functionName = this.functionName(name);
    const timeoutMs = this.#timeoutMs(name);
    const realStart = performance.now();
    // Time passes for an attempt as the simulation advances and as the attempt really runs.
    const elapsed = () =>
      this.#options.now().getTime() - startedAt.getTime() + (performance.now() - realStart);
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.#functionArn(name),
      memoryLimitInMB: '256',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, timeoutMs - elapsed()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }
}

export { type Invocation, LocalLambda };
