import { MemoryDedupStore } from '#alerts/memory-dedup-store.ts';
import type { AlertPorts } from '#alerts/notify.ts';
import { MemoryJobRunStore } from '#batch/memory-store.ts';
import type { BatchPorts } from '#batch/ports.ts';
import type { Config } from '#config/schema.ts';
import type { DeadLetterQueue } from '#dead-letters/ports.ts';
import { MemoryDeliveryStore } from '#delivery/memory-store.ts';
import type { DeliveryPorts } from '#delivery/ports.ts';
import { RecordedMetrics } from '#delivery/recorded-metrics.ts';
import { MemoryGuardStore } from '#guard/memory-store.ts';
import type { GuardPorts } from '#guard/ports.ts';
import { RecordedAlarms } from '#guard/recorded-alarms.ts';
import { InvalidEventError } from '#kernel/errors.ts';
import { type HarbormasterEvent, parseEvent } from '#kernel/events/parse.ts';
import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime, type Runtime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { RecordedEcs } from './recorded-ecs.ts';
import { RecordedServiceDeployments } from './recorded-service-deployments.ts';
import { type ReplayableAction, type ReplayedAction, viewOf } from './replay-view.ts';

/** What one function decided on a recorded event. */
interface ReplayDecision {
  function: string;
  outcome: 'acted' | 'ignored';
  reason: string;
}

/** What a replay says about one recorded event: every function that handles it, combined. */
interface ReplayEntry {
  index: number;
  event: { id: string | undefined; detailType: string | undefined; time: string | undefined };
  /** "acted" when any function acted; "invalid" only when the event cannot be read. */
  outcome: 'acted' | 'ignored' | 'invalid';
  reason: string;
  decisions: ReplayDecision[];
  actions: ReplayedAction[];
}

interface ReplayOptions {
  /** `describe-services` and `describe-task-definition` outputs from before the events. */
  state: readonly unknown[];
  config: Config;
  functions: readonly AnyFunctionDefinition[];
  /** The stage whose batch job runs the recording shows (their tasks' startedBy names it). */
  stage?: string | undefined;
}

/** Every port any replayed function wires; each function takes the part it uses. */
type ReplayPorts = GuardPorts &
  BatchPorts &
  AlertPorts &
  DeliveryPorts & { deadLetters: DeadLetterQueue };

/** The world a replay decides against: ECS and alarms as recorded, and the functions' memory. */
class ReplayWorld {
  readonly ecs: RecordedEcs;
  readonly alarms = new RecordedAlarms();
  readonly guardStore = new MemoryGuardStore();
  readonly dedup = new MemoryDedupStore();
  readonly jobRuns: MemoryJobRunStore;
  readonly serviceDeployments: RecordedServiceDeployments;
  readonly deliveryStore = new MemoryDeliveryStore();
  readonly ports: ReplayPorts;

  constructor(
    state: readonly unknown[],
    recording: readonly HarbormasterEvent[],
    stage: string,
    clock: () => Date = () => new Date(0),
  ) {
    this.ecs = new RecordedEcs(state, recording);
    this.serviceDeployments = new RecordedServiceDeployments(state);
    this.jobRuns = new MemoryJobRunStore(stage);
    this.ports = {
      ecs: this.ecs,
      alarms: this.alarms,
      guardStore: this.guardStore,
      dedup: this.dedup,
      // Alerts are shown, not sent; nothing is dead-lettered offline.
      channels: [],
      deadLetters: { park: async () => undefined },
      jobRuns: this.jobRuns,
      serviceDeployments: this.serviceDeployments,
      // The metrics the recording's state files give (hook invocations are decided on them).
      metrics: new RecordedMetrics(state),
      deliveryStore: this.deliveryStore,
      clock,
    };
  }

  /** Brings the recorded state forward with what an event shows, before it is decided on. */
  observe(event: HarbormasterEvent): void {
    this.ecs.observe(event);
    this.alarms.observe(event);
    this.serviceDeployments.observe(event);
  }
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

const envelopeOf = (raw: unknown, parsed: HarbormasterEvent | InvalidEventError | undefined) => {
  const r = (raw ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  // A hook invocation is no EventBridge event: its parse names it (and its execution id).
  const meta = parsed instanceof Error ? undefined : parsed?.meta;
  return {
    id: text(r.id) ?? meta?.id,
    detailType: text(r['detail-type']) ?? meta?.detailType,
    time: text(r.time),
  };
};

const tryParse = (raw: unknown): HarbormasterEvent | InvalidEventError => {
  try {
    return parseEvent(raw);
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

/**
 * Replays recorded events offline through the functions' own parse, load, decide and execute, as
 * the deployed stack would: each event goes to every function that handles its kind. Ports are
 * over the recorded world: ECS as the state files show it, brought forward by each event; alarms
 * as recorded; the functions' memory (watches, rollback claims, alert claims, job runs) in memory.
 * The clock is each event's time. No AWS call is made.
 */
const replayEvents = async (
  events: readonly unknown[],
  options: ReplayOptions,
): Promise<{ entries: ReplayEntry[]; world: ReplayWorld }> => {
  const parsed = events.map(tryParse);
  const readable = parsed.filter((e): e is HarbormasterEvent => !(e instanceof Error));
  let now = new Date(0);
  const world = new ReplayWorld(options.state, readable, options.stage ?? 'replay', () => now);
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
  for (const [index, raw] of events.entries()) {
    const event = parsed[index];
    const base = { index, event: envelopeOf(raw, event) };
    if (!event || event instanceof Error) {
      const reason = event?.message ?? 'unreadable';
      entries.push({ ...base, outcome: 'invalid', reason, decisions: [], actions: [] });
      continue;
    }
    now = event.meta.time ?? now;
    world.observe(event);
    const handlers = options.functions.filter((f) => accepts(f, raw));
    const decisions: ReplayDecision[] = [];
    const actions: ReplayedAction[] = [];
    for (const definition of handlers) {
      let result: Awaited<ReturnType<typeof invoke>>;
      try {
        result = await invoke(definition, raw, runtimeOf(definition), world.ports);
      } catch (error) {
        result = { outcome: 'failed', reason: (error as Error).message, actions: [] };
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
    const acted = decisions.some((d) => d.outcome === 'acted');
    entries.push({
      ...base,
      outcome: acted ? 'acted' : 'ignored',
      reason:
        decisions.length > 0
          ? reasonOf(decisions)
          : `no Harbormaster function acts on "${event.meta.detailType}" events`,
      decisions,
      actions,
    });
  }
  return { entries, world };
};

export { type ReplayDecision, type ReplayEntry, ReplayWorld, replayEvents };
