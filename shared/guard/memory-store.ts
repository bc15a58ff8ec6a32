import type { GuardStore } from './ports.ts';
import type { DeploymentWatch, RollbackRecord, ServiceGuardHistory, WatchRef } from './records.ts';

const serviceKey = (cluster: string, service: string): string => `${cluster}/${service}`;
const refKey = (ref: WatchRef): string => `${ref.cluster}/${ref.service}#${ref.deploymentId}`;

/**
 * GuardStore in memory with the DynamoDB store's semantics (conditional creates, alarm index, due
 * times), for offline replays; tests use it too.
 */
class MemoryGuardStore implements GuardStore {
  readonly #watches = new Map<string, { watch: DeploymentWatch; dueAt: Date }>();
  readonly #rollbacks = new Map<string, RollbackRecord>();
  readonly #alarmIndex = new Map<string, Map<string, WatchRef>>();

  /** Every watch, for inspection. */
  get watches(): DeploymentWatch[] {
    return [...this.#watches.values()].map((w) => structuredClone(w.watch));
  }

  /** Every rollback record, for inspection. */
  get rollbacks(): RollbackRecord[] {
    return [...this.#rollbacks.values()].map((r) => structuredClone(r));
  }

  async history(cluster: string, service: string): Promise<ServiceGuardHistory> {
    const prefix = `${serviceKey(cluster, service)}#`;
    return {
      watches: [...this.#watches.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([, value]) => structuredClone(value.watch)),
      rollbacks: [...this.#rollbacks.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([, value]) => structuredClone(value)),
    };
  }

  async watchesForAlarm(alarmName: string): Promise<WatchRef[]> {
    return [...(this.#alarmIndex.get(alarmName)?.values() ?? [])].map((ref) => ({ ...ref }));
  }

  async dueWatches(now: Date): Promise<WatchRef[]> {
    return [...this.#watches.values()]
      .filter(({ dueAt }) => dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map(({ watch }) => ({
        cluster: watch.cluster,
        service: watch.service,
        deploymentId: watch.deploymentId,
      }));
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
    const existing = this.#watches.get(refKey(watch));
    if (existing && existing.watch.origin === watch.origin) return false;
    this.#watches.set(refKey(watch), { watch: structuredClone(watch), dueAt });
    return true;
  }

  async updateWatch(watch: DeploymentWatch, dueAt: Date): Promise<void> {
    this.#watches.set(refKey(watch), { watch: structuredClone(watch), dueAt });
  }

  async endWatch(watch: DeploymentWatch): Promise<void> {
    for (const alarm of watch.alarms) this.#alarmIndex.get(alarm)?.delete(refKey(watch));
    this.#watches.delete(refKey(watch));
  }

  async recordRollback(record: RollbackRecord): Promise<void> {
    const key = `${serviceKey(record.cluster, record.service)}#${record.fromDeploymentId}`;
    if (!this.#rollbacks.has(key)) this.#rollbacks.set(key, structuredClone(record));
  }

  async forgetRollback(record: RollbackRecord): Promise<void> {
    this.#rollbacks.delete(
      `${serviceKey(record.cluster, record.service)}#${record.fromDeploymentId}`,
    );
  }

  async recordRollbackDeployment(record: RollbackRecord, deploymentId: string): Promise<void> {
    const key = `${serviceKey(record.cluster, record.service)}#${record.fromDeploymentId}`;
    const stored = this.#rollbacks.get(key);
    if (stored) stored.rollbackDeploymentId = deploymentId;
  }
}

export { MemoryGuardStore };
