import type { Config, SECTIONS } from '#config/schema.ts';
import type { ActionType } from './action.ts';
import type { AlertSubject } from './alert.ts';
import type { Decision } from './decision.ts';
import type { Ports } from './ports.ts';
import type { Runtime } from './runtime.ts';

/** Who and what an event is about, for log keys and for alerts about failures. */
interface EventContext {
  subject: AlertSubject;
  eventId: string | undefined;
  /** One line naming the event, e.g. "ECS Service Action SERVICE_TASK_PLACEMENT_FAILURE default/web". */
  summary: string;
  /** What is left undone if Harbormaster cannot act on this event. */
  consequence: string;
}

/**
 * A Harbormaster function: parse the event, load the state it needs through ports, decide (pure),
 * and let the executor carry the decision out. `wire` builds the real ports the function uses.
 */
interface FunctionDefinition<E, S> {
  name: string;
  /** IAM actions its load step calls; with `emits`, what its role must grant (checked by a test). */
  reads: readonly string[];
  /** The action types its decisions can return. */
  emits: readonly ActionType[];
  /**
   * The configuration sections it reads, with their schemas (dryRun always): its cold start
   * imports and re-validates only these; the others were validated at build and come as they were.
   */
  configSections: { readonly [K in keyof typeof SECTIONS]?: (typeof SECTIONS)[K] };
  parse(raw: unknown): E;
  context(event: E): EventContext;
  load(event: E, ports: Ports, config: Config): Promise<S>;
  decide(event: E, state: S, config: Config, now: Date): Decision;
  wire(runtime: Runtime): Promise<Partial<Ports>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every event and state type.
type AnyFunctionDefinition = FunctionDefinition<any, any>;

export type { AnyFunctionDefinition, EventContext, FunctionDefinition };
