import { InvalidEventError } from '#kernel/errors.ts';
import { type HarbormasterEvent, HOOK_INVOCATION, parseEvent } from '#kernel/events/parse.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import type { EventSource, RecordedLine } from './recorded-events.ts';
import type { ReplayedAction } from './replay-view.ts';

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
  /** The recorded event did not happen in the replayed world (after a replayed rollback). */
  diverged?: boolean;
  /** "acted" when any function acted; "invalid" only when the event cannot be read. */
  outcome: 'acted' | 'ignored' | 'invalid' | 'undecided';
  reason: string;
  decisions: ReplayDecision[];
  actions: ReplayedAction[];
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
  // An ECS lifecycle hook invocation is a Lambda payload, not an EventBridge event.
  if (!('detail-type' in r) && 'executionId' in r && 'lifecycleStage' in r)
    return { id: text(r.executionId), detailType: HOOK_INVOCATION, time: text(r.time) };
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

export {
  accepts,
  envelopeOf,
  outcomeOf,
  parsingOnce,
  type ReplayDecision,
  type ReplayEntry,
  reasonOf,
  tryParse,
};
