import type { Config } from '#config/schema.ts';
import { InvalidEventError } from '#kernel/errors.ts';
import { type HarbormasterEvent, parseEvent } from '#kernel/events/parse.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime, type Runtime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { eventLabel, eventService } from './event-label.ts';
import { MissingStateError } from './missing-state.ts';
import type { EventSource, RecordedLine } from './recorded-events.ts';
import { type ReplayedAction, viewOf } from './replay-view.ts';
import { ReplayWorld, sweepEvent } from './replay-world.ts';

/** What one function decided on a recorded event; "undecided" when the state files lack what it reads. */
interface ReplayDecision {
  function: string;
  outcome: 'acted' | 'ignored' | 'undecided';
  reason: string;
}

/** What a replay says about one recorded event: every function that handles it, combined. */
interface ReplayEntry {
  /** Position in play order. */
  index: number;
  /** The file and line of the event; absent for the guard's sweeps the replay ran itself. */
  source: EventSource | undefined;
  /** Why the replay played an event the recording does not hold (the guard's one-minute schedule). */
  synthetic?: string;
  event: {
    id: string | undefined;
    detailType: string | undefined;
    time: string | undefined;
    /** "ECS Task State Change STOPPED prod/web task 1a2b3c4d (health-check-failed)". */
    label: string;
    /** The service it is about ("prod/web"), when it names one. */
    service?: string | undefined;
  };
  /** "acted" when any function acted; "invalid" only when the event cannot be read. */
  outcome: 'acted' | 'ignored' | 'invalid' | 'undecided';
  reason: string;
  decisions: ReplayDecision[];
  actions: ReplayedAction[];
}

interface ReplayOptions {
  /** `describe-services` and `describe-task-definition` outputs from before the events (checked). */
  state: readonly unknown[];
  config: Config;
  functions: readonly AnyFunctionDefinition[];
  /** The stage whose batch job runs the recording shows (their tasks' startedBy names it). */
  stage?: string | undefined;
  /** Called with each entry as it is decided (the CLI prints as it goes). */
  onEntry?: (entry: ReplayEntry, event: HarbormasterEvent | undefined) => void;
  /** Keep every entry in the result (default true; a long replay that prints as it goes need not). */
  keepEntries?: boolean;
  /**
   * Run the guard's sweep up to this time after the last event (the recording may end before a
   * deadline falls due; by default the replay does not guess how long the world went on).
   */
  until?: Date | undefined;
  /** Called with the world once it is built, before the first entry. */
  onWorld?: (world: ReplayWorld) => void;
}

const accepts = (definition: AnyFunctionDefinition, raw: unknown): boolean => {
  try {
    definition.parse(raw);
    return true;
  } catch (error) {
    if (error instanceof InvalidEventError) return false;
    throw error;
  }
};

/**
 * The definition with its parse remembered per event: the engine asks each function whether it
 * handles an event, then invokes it on the same event, so each event is parsed once per function.
 */
const parsingOnce = (definition: AnyFunctionDefinition): AnyFunctionDefinition => {
  const parsed = new WeakMap<object, { event?: unknown; error?: unknown }>();
  return {
    ...definition,
    parse: (raw: unknown) => {
      const key = typeof raw === 'object' && raw !== null ? raw : undefined;
      let result = key && parsed.get(key);
      if (!result) {
        // Refusals are expected here (most functions handle few kinds): no stack trace for them.
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
          result = { event: definition.parse(raw) };
        } catch (error) {
          result = { error };
        } finally {
          Error.stackTraceLimit = limit;
        }
        if (key) parsed.set(key, result);
      }
      if ('error' in result) throw result.error;
      return result.event;
    },
  };
};

const envelopeOf = (raw: unknown) => {
  const r = (raw ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { id: text(r.id), detailType: text(r['detail-type']), time: text(r.time) };
};

const tryParse = (line: RecordedLine): HarbormasterEvent | Error => {
  if (line.problem) return new Error(line.problem);
  try {
    return parseEvent(line.raw);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
};

/** One reason for the event: the acting functions', else every function's, named when several. */
const reasonOf = (decisions: readonly ReplayDecision[]): string => {
  const acted = decisions.filter((d) => d.outcome === 'acted');
  const shown = acted.length > 0 ? acted : decisions;
  return shown.length === 1
    ? (shown[0]?.reason ?? '')
    : shown.map((d) => `${d.function}: ${d.reason}`).join('; ');
};

const outcomeOf = (decisions: readonly ReplayDecision[]): ReplayEntry['outcome'] => {
  if (decisions.some((d) => d.outcome === 'acted')) return 'acted';
  return decisions.some((d) => d.outcome === 'undecided') ? 'undecided' : 'ignored';
};

/**
 * Replays recorded events offline through the functions' own parse, load, decide and execute, as
 * the deployed stack would: each event goes to every function that handles its kind. Ports are
 * over the recorded world (ReplayWorld), which Harbormaster's own actions move forward. The clock
 * is each event's time, never going back. When the recording lacks the guard's one-minute
 * schedule, the replay runs the sweep itself whenever a watch falls due, so deadlines and bake
 * times end as they would live. No AWS call is made.
 */
const replayEvents = async (
  lines: readonly RecordedLine[],
  options: ReplayOptions,
): Promise<{ entries: ReplayEntry[]; world: ReplayWorld }> => {
  const parsed = lines.map(tryParse);
  const readable = parsed.filter((e): e is HarbormasterEvent => !(e instanceof Error));
  let now = new Date(0);
  const world = new ReplayWorld(options.state, readable, {
    stage: options.stage ?? 'replay',
    config: options.config,
    now: () => now,
  });
  options.onWorld?.(world);
  const functions = options.functions.map(parsingOnce);
  const runtimes = new Map<string, Runtime>();
  const runtimeOf = (definition: AnyFunctionDefinition): Runtime => {
    let runtime = runtimes.get(definition.name);
    if (!runtime) {
      runtime = createRuntime({
        functionName: definition.name,
        config: options.config,
        env: {},
        telemetry: silentTelemetry,
        now: () => now,
      });
      runtimes.set(definition.name, runtime);
    }
    return runtime;
  };
  const entries: ReplayEntry[] = [];
  let index = 0;
  const emit = (entry: Omit<ReplayEntry, 'index'>, event?: HarbormasterEvent) => {
    const full = { index: index++, ...entry };
    if (options.keepEntries !== false) entries.push(full);
    options.onEntry?.(full, event);
  };
  const decide = async (raw: unknown, handlers: readonly AnyFunctionDefinition[]) => {
    const decisions: ReplayDecision[] = [];
    const actions: ReplayedAction[] = [];
    for (const definition of handlers) {
      let result: Awaited<ReturnType<typeof invoke>>;
      try {
        result = await invoke(definition, raw, runtimeOf(definition), world.ports);
      } catch (error) {
        const undecided = error instanceof MissingStateError;
        decisions.push({
          function: definition.name,
          outcome: undecided ? 'undecided' : 'ignored',
          reason: undecided ? error.message : `could not decide: ${(error as Error).message}`,
        });
        continue;
      }
      decisions.push({
        function: definition.name,
        outcome: result.outcome === 'acted' ? 'acted' : 'ignored',
        reason: result.outcome === 'failed' ? `could not decide: ${result.reason}` : result.reason,
      });
      for (const a of result.actions)
        actions.push({
          ...viewOf(a.action),
          function: definition.name,
          status: a.status,
          detail: a.detail,
        });
    }
    return { decisions, actions };
  };

  const guard = functions.filter((f) => f.name === 'deployment-guard');
  const sweepsRecorded = readable.some((e) => e.kind === 'scheduled');
  let lastSweep: Date | undefined;
  let where = { account: '000000000000', region: 'us-east-1' };
  /** The guard's sweeps that fall due before `until`, as its one-minute schedule would run them. */
  const sweepUntil = async (until: Date) => {
    if (sweepsRecorded || guard.length === 0) return;
    for (let at = world.nextSweep(lastSweep); at && at <= until; at = world.nextSweep(lastSweep)) {
      now = at;
      lastSweep = at;
      const raw = sweepEvent(at, where.account, where.region);
      const event = parseEvent(raw);
      const { decisions, actions } = await decide(raw, guard);
      emit(
        {
          source: undefined,
          synthetic: "the guard's one-minute schedule (not in the recording)",
          event: { ...envelopeOf(raw), label: eventLabel(event) },
          outcome: outcomeOf(decisions),
          reason: reasonOf(decisions),
          decisions,
          actions,
        },
        event,
      );
      if (actions.length === 0) return;
    }
  };

  for (const [i, line] of lines.entries()) {
    const base = {
      source: line.source,
      event: { ...envelopeOf(line.raw), label: '', service: undefined as string | undefined },
    };
    const event = parsed[i];
    if (!event || event instanceof Error) {
      base.event.label = base.event.detailType ?? 'unreadable line';
      const reason = event?.message ?? 'unreadable';
      emit({ ...base, outcome: 'invalid', reason, decisions: [], actions: [] });
      continue;
    }
    base.event.label = eventLabel(event);
    base.event.service = eventService(event);
    where = { account: event.meta.account, region: event.meta.region };
    const at = event.meta.time && event.meta.time > now ? event.meta.time : now;
    await sweepUntil(at);
    now = at;
    const divergence = world.ecs.divergence(event);
    if (divergence) {
      emit({ ...base, outcome: 'ignored', reason: divergence, decisions: [], actions: [] }, event);
      continue;
    }
    world.observe(event);
    const handlers = functions.filter((f) => accepts(f, line.raw));
    const { decisions, actions } = await decide(line.raw, handlers);
    const reason =
      decisions.length > 0
        ? reasonOf(decisions)
        : `no Harbormaster function acts on "${event.meta.detailType}" events`;
    emit({ ...base, outcome: outcomeOf(decisions), reason, decisions, actions }, event);
  }
  if (options.until && options.until > now) await sweepUntil(options.until);
  return { entries, world };
};

export { type ReplayDecision, type ReplayEntry, type ReplayOptions, ReplayWorld, replayEvents };
