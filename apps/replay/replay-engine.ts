import type { Config } from '#config/schema.ts';
import { type HarbormasterEvent, parseEvent } from '#kernel/events/parse.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime, type Runtime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { eventLabel, eventService } from './event-label.ts';
import { MissingStateError } from './missing-state.ts';
import type { RecordedLine } from './recorded-events.ts';
import {
  accepts,
  envelopeOf,
  outcomeOf,
  parsingOnce,
  type ReplayDecision,
  type ReplayEntry,
  reasonOf,
  tryParse,
} from './replay-entry.ts';
import { type ReplayableAction, type ReplayedAction, viewOf } from './replay-view.ts';
import { ReplayWorld, sweepEvent } from './replay-world.ts';

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
        // A recording is not a delivery: every recorded event is decided, even one whose id an
        // earlier line shares (no plan journal); side effects and alerts still go by their leases.
        result = await invoke(definition, raw, runtimeOf(definition), world.ports, {
          journal: false,
        });
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
          ...viewOf(a.action as ReplayableAction),
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
      const diverged = { outcome: 'ignored' as const, reason: divergence, diverged: true };
      emit({ ...base, ...diverged, decisions: [], actions: [] }, event);
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
