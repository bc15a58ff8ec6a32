import { renderAlert } from '../alerts/render.ts';
import type { Config } from '../config/schema.ts';
import type { Action } from '../core/action.ts';
import { InvalidEventError } from '../core/errors.ts';
import type { Ports } from '../core/ports.ts';
import { silentTelemetry } from '../core/telemetry.ts';
import { type HarbormasterEvent, parseEvent } from '../events/parse.ts';
import type { AnyFunctionDefinition } from '../runtime/function-definition.ts';
import { invoke } from '../runtime/invoke.ts';
import { createRuntime, type Runtime } from '../runtime/runtime.ts';
import { MemoryDedupStore } from './memory-dedup-store.ts';
import { MemoryGuardStore } from './memory-guard-store.ts';
import { MemoryJobRunStore } from './memory-job-run-store.ts';
import { RecordedAlarms } from './recorded-alarms.ts';
import { RecordedEcs } from './recorded-ecs.ts';

/** An action in a replay's output: its data, flattened for reading, and what carrying it out did. */
type ReplayedAction = { type: string; status: string; detail: string } & Record<string, unknown>;

/** What a replay says about one recorded event. */
interface ReplayEntry {
  index: number;
  event: { id: string | undefined; detailType: string | undefined; time: string | undefined };
  function: string | undefined;
  outcome: 'acted' | 'ignored' | 'invalid';
  reason: string;
  actions: ReplayedAction[];
}

/** The world a replay decides against: ECS and alarms as recorded, and the functions' memory. */
class ReplayWorld {
  readonly ecs: RecordedEcs;
  readonly alarms = new RecordedAlarms();
  readonly guardStore = new MemoryGuardStore();
  readonly dedup = new MemoryDedupStore();
  readonly ports: Ports;

  constructor(stateFile: unknown) {
    this.ecs = new RecordedEcs(stateFile);
    this.ports = {
      ecs: this.ecs,
      alarms: this.alarms,
      guardStore: this.guardStore,
      dedup: this.dedup,
      // Alerts are shown, not sent; nothing is dead-lettered offline.
      channels: [],
      deadLetters: { park: async () => undefined },
      jobRuns: new MemoryJobRunStore('replay'),
    };
  }

  /** Brings the recorded state forward with what an event shows, before it is decided on. */
  observe(event: HarbormasterEvent): void {
    this.ecs.observe(event);
    this.alarms.observe(event);
  }
}

/** Flattens an action for the output: a rollback names cluster, service and target task definition. */
const viewOf = (action: Action): Record<string, unknown> => {
  switch (action.type) {
    case 'notify': {
      const message = renderAlert(action.alert);
      const alert = action.alert;
      return {
        type: action.type,
        kind: alert.kind,
        ...(alert.kind === 'deployment-guard'
          ? { event: alert.event, trigger: alert.trigger }
          : {}),
        ...(alert.kind === 'deployment-event' ? { phase: alert.phase } : {}),
        severity: alert.severity,
        title: message.title,
        threadId: alert.threadId,
      };
    }
    case 'rollback-service':
      return {
        type: action.type,
        cluster: action.cluster,
        service: action.service,
        taskDefinition: action.taskDefinition,
        fromDeploymentId: action.record.fromDeploymentId,
        fromTaskDefinition: action.record.fromTaskDefinition,
        trigger: action.record.trigger,
      };
    case 'watch-deployment':
    case 'update-watch':
      return { type: action.type, ...refOf(action.watch), dueAt: action.dueAt };
    case 'end-watch':
      return { type: action.type, ...refOf(action.watch) };
    default:
      return { ...action };
  }
};

const refOf = (w: { cluster: string; service: string; deploymentId: string }) => ({
  cluster: w.cluster,
  service: w.service,
  deploymentId: w.deploymentId,
});

const accepts = (definition: AnyFunctionDefinition, raw: unknown): boolean => {
  try {
    definition.parse(raw);
    return true;
  } catch (error) {
    if (error instanceof InvalidEventError) return false;
    throw error;
  }
};

const envelopeOf = (raw: unknown) => {
  const r = (raw ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { id: text(r.id), detailType: text(r['detail-type']), time: text(r.time) };
};

/**
 * Replays recorded events offline through the functions' own parse, load, decide and execute,
 * with ports over the recorded world: ECS as the state file shows it, brought forward by each
 * event; alarms as recorded; the functions' memory (watches, rollback claims, alert claims) in
 * memory. The clock is each event's time. No AWS call is made.
 */
const replayEvents = async (
  events: readonly unknown[],
  options: { state: unknown; config: Config; functions: readonly AnyFunctionDefinition[] },
): Promise<{ entries: ReplayEntry[]; world: ReplayWorld }> => {
  const world = new ReplayWorld(options.state);
  let now = new Date(0);
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
    const base = { index, event: envelopeOf(raw) };
    let event: HarbormasterEvent;
    try {
      event = parseEvent(raw);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      entries.push({
        ...base,
        function: undefined,
        outcome: 'invalid',
        reason: error.message,
        actions: [],
      });
      continue;
    }
    now = event.meta.time ?? now;
    world.observe(event);
    const definition = options.functions.find((f) => accepts(f, raw));
    if (!definition) {
      entries.push({
        ...base,
        function: undefined,
        outcome: 'ignored',
        reason: `no replayed function handles "${event.meta.detailType}"`,
        actions: [],
      });
      continue;
    }
    let result: Awaited<ReturnType<typeof invoke>>;
    try {
      result = await invoke(definition, raw, runtimeOf(definition), world.ports);
    } catch (error) {
      result = { outcome: 'failed', reason: (error as Error).message, actions: [] };
    }
    entries.push({
      ...base,
      function: definition.name,
      outcome: result.outcome === 'failed' ? 'ignored' : result.outcome,
      reason: result.outcome === 'failed' ? `could not decide: ${result.reason}` : result.reason,
      actions: result.actions.map(
        (a) => ({ ...viewOf(a.action), status: a.status, detail: a.detail }) as ReplayedAction,
      ),
    });
  }
  return { entries, world };
};

export { type ReplayEntry, type ReplayedAction, ReplayWorld, replayEvents };
