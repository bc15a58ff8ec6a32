import type { Action } from './action.ts';
import type { AlertSubject, NotifyAction } from './alerts/model.ts';
import type { KernelConfig } from './config/aws.ts';
import type { SectionSchemas, SectionsConfig } from './config/sections.ts';
import type { Decision } from './decision.ts';
import type { InvocationResult } from './invoke.ts';
import type { RunnerTable } from './runner.ts';
import type { Runtime } from './runtime.ts';

/** Who and what an event is about, for log keys and for alerts about failures. */
interface EventContext {
  subject: AlertSubject;
  eventId: string | undefined;
  /** One line naming the event, e.g. "ECS Service Action SERVICE_TASK_PLACEMENT_FAILURE default/web". */
  summary: string;
  /** What is left undone if Harbormaster cannot act on this event. */
  consequence: string;
  /**
   * Input addressed to the stack itself rather than an event of an account (a request to its
   * function URL, its own queued work): `scope` does not apply to it.
   */
  toStack?: true;
}

/**
 * For input whose sender waits for an answer and reads a failure as a verdict (ECS treats a
 * lifecycle hook that throws, or answers late, as FAILED and rolls back): how the invocation's
 * result becomes the Lambda's return value, and what to answer instead of failing when the
 * invocation throws or runs out of time. Other input keeps the usual semantics (an error is
 * rethrown, so that Lambda retries it).
 */
interface AnswerContract {
  applies(raw: unknown): boolean;
  /** The return value, from what the invocation decided and did. */
  answer(raw: unknown, result: InvocationResult): unknown;
  /** The return value when the invocation threw or ran out of time; never throws. */
  fallback(raw: unknown, reason: string): unknown;
  /** Time kept before the invocation's own timeout to give the fallback answer. */
  reserveMs: number;
}

/**
 * A Harbormaster function: parse the event, load the state it needs through its ports `P`, decide
 * (pure) on actions `A`, and let the executor carry them out with the function's own runner table,
 * which covers `A` and the notify action every function may use to report a failure. `C` is the
 * configuration it reads; `wire` builds the real ports.
 */
interface FunctionDefinition<E, S, C extends KernelConfig, P, A extends Action> {
  name: string;
  /** IAM actions its load step calls; with its runners' permissions, what its role must grant. */
  reads: readonly string[];
  /**
   * The configuration sections it reads, with their schemas (dryRun always): its cold start
   * imports and re-validates only these; the others were validated at build and come as they were.
   */
  configSections: SectionSchemas;
  runners: RunnerTable<A | NotifyAction, P>;
  parse(raw: unknown): E;
  context(event: E): EventContext;
  /**
   * Why the event needs neither state nor action, or undefined. The pipeline calls it once, before
   * `load`: a screened-out event costs no AWS call, and neither load nor decide repeats the check.
   */
  screen?(event: E, config: C): string | undefined;
  load(event: E, ports: P, config: C): Promise<S>;
  decide(event: E, state: S, config: C, now: Date): Decision<A>;
  wire(runtime: Runtime<C>): Promise<P>;
  /** For a function whose invoker waits for its answer (see AnswerContract). */
  answer?: AnswerContract;
}

/** The configuration a function reads: the kernel's part and the sections it names. */
type FunctionConfig<T extends SectionSchemas> = KernelConfig & SectionsConfig<T>;

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every type.
type AnyFunctionDefinition = FunctionDefinition<any, any, any, any, any>;

export type {
  AnswerContract,
  AnyFunctionDefinition,
  EventContext,
  FunctionConfig,
  FunctionDefinition,
};
