import type { GuardStore } from './ports.ts';
import type {
  DeploymentWatch,
  FailureTally,
  RollbackRecord,
  ServiceGuardHistory,
  WatchRef,
} from './records.ts';

const serviceKey = (cluster: string, service: string): string => `${cluster}/${service}`;

// The DynamoDB table's TTLs (store.ts): watches 30 days after their start, rollbacks 90 after theirs.
const DAY_MS = 24 * 60 * 60_000;
const WATCH_TTL_MS = 30 * DAY_MS;
const ROLLBACK_TTL_MS = 90 * DAY_MS;
// As the DynamoDB store: a tally takes no more tasks than the largest threshold.
const TALLY_CAP = 200;
const refKey = (ref: WatchRef): string => `${ref.cluster}/${ref.service}#${ref.deploymentId}`;

/** Items kept per service, so that reading one service's history costs that service's items. */
class PerService<T> {
  readonly #byService = new Map<string, Map<string, T>>();

  get(service: string, id: string): T | undefined {
    return this.#byService.get(service)?.get(id);
  }

  set(service: string, id: string, value: T): void {
    const items = this.#byService.get(service) ?? new Map<string, T>();
    items.set(id, value);
    this.#byService.set(service, items);
  }

  delete(service: string, id: string): void {
    this.#byService.get(service)?.delete(id);
  }

  of(service: string): T[] {
    return [...(this.#byService.get(service)?.values() ?? [])];
  }

  all(): T[] {
    return [...this.#byService.values()].flatMap((items) => [...items.values()]);
  }
}

/**
 * GuardStore in memory with the DynamoDB store's semantics (conditional creates, alarm index, due
 * times), for offline replays; tests use it too.
 */
class MemoryGuardStore implements GuardStore {
  readonly #watches = new PerService<{ watch: DeploymentWatch; dueAt: Date }>();
  readonly #rollbacks = new PerService<RollbackRecord>();
  readonly #tallies = new PerService<FailureTally>();
  readonly #alarmIndex = new Map<string, Map<string, WatchRef>>();
  readonly #now: (() => Date) | undefined;

  /**
   * @param now with a clock (a replay's), items past the table's TTL are gone, as DynamoDB's TTL
   *   deletes them, so a long replay's memory of a service stays what the table would hold
   */
  constructor(now?: () => Date) {
    this.#now = now;
  }

  #expire(service: string): void {
    const now = this.#now?.().getTime();
    if (now === undefined) return;
    for (const r of this.#rollbacks.of(service))
      if (Date.parse(r.at) + ROLLBACK_TTL_MS < now)
        this.#rollbacks.delete(service, r.fromDeploymentId);
    for (const w of this.#watches.of(service))
      if (Date.parse(w.watch.startedAt) + WATCH_TTL_MS < now) void this.endWatch(w.watch);
  }

  /** Every watch, for inspection. */
  get watches(): DeploymentWatch[] {
    return this.#watches.all().map((w) => structuredClone(w.watch));
  }

  /** Every rollback record, for inspection. */
  get rollbacks(): RollbackRecord[] {
    return this.#rollbacks.all().map((r) => structuredClone(r));
  }

  async history(cluster: string, service: string): Promise<ServiceGuardHistory> {
    const key = serviceKey(cluster, service);
    this.#expire(key);
    return {
      watches: this.#watches.of(key).map((value) => structuredClone(value.watch)),
      rollbacks: this.#rollbacks.of(key).map((value) => structuredClone(value)),
      tallies: this.#tallies.of(key).map((value) => structuredClone(value)),
    };
  }

  async tallyFailures(tally: {
    cluster: string;
    service: string;
    deploymentId: string;
    threshold: number;
    taskArns: string[];
  }): Promise<void> {
    const key = serviceKey(tally.cluster, tally.service);
    const stored = this.#tallies.get(key, tally.deploymentId) ?? {
      deploymentId: tally.deploymentId,
      threshold: tally.threshold,
      taskArns: [],
    };
    if (stored.taskArns.length >= TALLY_CAP) return;
    stored.taskArns = [...new Set([...stored.taskArns, ...tally.taskArns])].sort();
    this.#tallies.set(key, tally.deploymentId, stored);
  }

  async watchesForAlarm(alarmName: string): Promise<WatchRef[]> {
    return [...(this.#alarmIndex.get(alarmName)?.values() ?? [])].map((ref) => ({ ...ref }));
  }

  async dueWatches(now: Date): Promise<WatchRef[]> {
    return this.#watches
      .all()
      .filter(({ dueAt }) => dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map(({ watch }) => ({
        cluster: watch.cluster,
        service: watch.service,
        deploymentId: watch.deploymentId,
      }));
  }

  /** When the next watch falls due, if any (a replay runs the guard's sweep then). */
  nextDue(): Date | undefined {
    let next: Date | undefined;
    for (const { dueAt } of this.#watches.all()) if (!next || dueAt < next) next = dueAt;
    return next;
  }

  async startWatch(watch: DeploymentWatch, dueAt: Date): Promise<boolean> {
    for (const alarm of watch.alarms) {
      const index = this.#alarmIndex.get(alarm) ?? new Map<string, WatchRef>();
      index.set(refKey(watch), {
        cluster: watch.cluster,
        service: watch.service,
        deploymentId: watch.deploymentId,
      });
      this.#alarmIndex.set(alarm, index);
    }
    const key = serviceKey(watch.cluster, watch.service);
    const existing = this.#watches.get(key, watch.deploymentId);
    if (existing && existing.watch.origin === watch.origin) return false;
    this.#watches.set(key, watch.deploymentId, { watch: structuredClone(watch), dueAt });
    return true;
  }

  async updateWatch(watch: DeploymentWatch, dueAt: Date): Promise<void> {
    const key = serviceKey(watch.cluster, watch.service);
    this.#watches.set(key, watch.deploymentId, { watch: structuredClone(watch), dueAt });
  }

  async endWatch(watch: DeploymentWatch): Promise<void> {
    for (const alarm of watch.alarms) this.#alarmIndex.get(alarm)?.delete(refKey(watch));
    this.#watches.delete(serviceKey(watch.cluster, watch.service), watch.deploymentId);
  }

  async recordRollback(record: RollbackRecord): Promise<void> {
    const key = serviceKey(record.cluster, record.service);
    if (!this.#rollbacks.get(key, record.fromDeploymentId))
      this.#rollbacks.set(key, record.fromDeploymentId, structuredClone(record));
  }

  async forgetRollback(record: RollbackRecord): Promise<void> {
    this.#rollbacks.delete(serviceKey(record.cluster, record.service), record.fromDeploymentId);
  }

  async recordRollbackDeployment(record: RollbackRecord, deploymentId: string): Promise<void> {
    const key = serviceKey(record.cluster, record.service);
    const stored = this.#rollbacks.get(key, record.fromDeploymentId);
    if (stored) stored.rollbackDeploymentId = deploymentId;
  }

  /**
   * A replay's rollback deployment turned out to be one the recording shows: its recorded id
   * replaces the one the replay gave it, as UpdateService would have returned that id live.
   */
  renameRollbackDeployment(service: string, from: string, to: string): void {
    for (const record of this.#rollbacks.of(service))
      if (record.rollbackDeploymentId === from) record.rollbackDeploymentId = to;
  }
}

export { MemoryGuardStore };
