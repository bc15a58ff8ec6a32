import type { AlertPorts } from '#alerts/notify.ts';
import { MemoryWakeups } from '#aws/wakeups/memory-wakeups.ts';
import type { WakePorts } from '#aws/wakeups/wake.ts';
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
import type { HarbormasterEvent } from '#kernel/events/parse.ts';
import { MemoryLeaseStore } from '#kernel/lease/memory-lease-store.ts';
import { RecordedEcs } from './recorded-ecs.ts';
import { RecordedServiceDeployments } from './recorded-service-deployments.ts';
import { replayChannels } from './replay-channels.ts';

const MINUTE_MS = 60_000;

/** Every port any replayed function wires; each function takes the part it uses. */
type ReplayPorts = GuardPorts &
  BatchPorts &
  AlertPorts &
  DeliveryPorts &
  WakePorts & { deadLetters: DeadLetterQueue };

/**
 * The world a replay decides against: ECS and alarms as recorded, the functions' memory in memory
 * (the guard's watches and rollback records, the leases of side effects and alerts with
 * production's keys and windows, job runs), and alert channels that stand for the configured ones without sending.
 */
class ReplayWorld {
  readonly ecs: RecordedEcs;
  readonly alarms = new RecordedAlarms();
  readonly guardStore: MemoryGuardStore;
  readonly leases = new MemoryLeaseStore();
  readonly jobRuns: MemoryJobRunStore;
  readonly serviceDeployments: RecordedServiceDeployments;
  readonly deliveryStore = new MemoryDeliveryStore();
  readonly ports: ReplayPorts;

  constructor(
    state: readonly unknown[],
    recording: readonly HarbormasterEvent[],
    options: { stage: string; config: Config; now: () => Date },
  ) {
    this.ecs = new RecordedEcs(state, recording, options.now);
    this.guardStore = new MemoryGuardStore(options.now);
    this.ecs.onRenamed = (service, from, to) =>
      this.guardStore.renameRollbackDeployment(service, from, to);
    this.jobRuns = new MemoryJobRunStore(options.stage);
    this.serviceDeployments = new RecordedServiceDeployments(state);
    this.ports = {
      ecs: this.ecs,
      alarms: this.alarms,
      guardStore: this.guardStore,
      leases: this.leases,
      channels: replayChannels(options.config),
      // Nothing is dead-lettered offline.
      deadLetters: { park: async () => undefined },
      jobRuns: this.jobRuns,
      serviceDeployments: this.serviceDeployments,
      // Hook invocations are decided on the metrics the state files give, at the event's time.
      metrics: new RecordedMetrics(state),
      deliveryStore: this.deliveryStore,
      // The replay runs the guard's sweep itself whenever a watch falls due (nextSweep).
      wakeups: new MemoryWakeups(),
      clock: options.now,
    };
  }

  /** Brings the recorded state forward with what an event shows, before it is decided on. */
  observe(event: HarbormasterEvent): void {
    this.ecs.observe(event);
    this.alarms.observe(event);
    this.serviceDeployments.observe(event);
  }

  /**
   * When the guard's one-minute schedule next finds a watch due, no earlier than a minute after
   * the last sweep: the first whole minute at or after the due time.
   */
  nextSweep(lastSweep: Date | undefined): Date | undefined {
    const due = this.guardStore.nextDue();
    if (!due) return undefined;
    const at = Math.ceil(due.getTime() / MINUTE_MS) * MINUTE_MS;
    return new Date(Math.max(at, (lastSweep?.getTime() ?? 0) + MINUTE_MS));
  }
}

/**
 * The guard's sweep as its EventBridge rule delivers it (a scheduled rule's event, the shape of
 * the EventBridge User Guide's example), for a recording that does not include the schedule.
 */
const sweepEvent = (at: Date, account: string, region: string) => ({
  version: '0',
  id: `replayed-sweep-${at.toISOString()}`,
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account,
  time: at.toISOString(),
  region,
  resources: [`arn:aws:events:${region}:${account}:rule/harbormaster-deployment-guard-sweep`],
  detail: {},
});

export { ReplayWorld, sweepEvent };
