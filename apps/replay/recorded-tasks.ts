import type { TaskListFilter } from '#aws/ecs/port.ts';
import type { TaskState } from '#aws/ecs/state.ts';
import { clusterName } from '#kernel/events/arn.ts';

/**
 * The tasks a recording shows, each at its latest version, indexed by cluster and startedBy so
 * that ListTasks costs what it returns, not the whole recording (a replay of 100,000 events asks
 * for a deployment's stopped tasks on every failure).
 */
class RecordedTasks {
  readonly #byArn = new Map<string, TaskState>();
  readonly #byStartedBy = new Map<string, Set<string>>();
  readonly #byCluster = new Map<string, Set<string>>();

  /** Keeps the task's state unless a later version is already known; true if it was kept. */
  observe(detail: TaskState): boolean {
    const arn = detail.taskArn ?? '';
    const seen = this.#byArn.get(arn);
    if (seen && (seen.version ?? 0) > (detail.version ?? 0)) return false;
    this.#byArn.set(arn, detail);
    const cluster = clusterName(detail.clusterArn);
    if (!this.#byCluster.has(cluster)) this.#byCluster.set(cluster, new Set());
    this.#byCluster.get(cluster)?.add(arn);
    if (detail.startedBy) {
      if (!this.#byStartedBy.has(detail.startedBy))
        this.#byStartedBy.set(detail.startedBy, new Set());
      this.#byStartedBy.get(detail.startedBy)?.add(arn);
    }
    return true;
  }

  list(cluster: string, filter: TaskListFilter, limit = Number.POSITIVE_INFINITY): string[] {
    const candidates = filter.startedBy
      ? this.#byStartedBy.get(filter.startedBy)
      : this.#byCluster.get(cluster);
    const arns: string[] = [];
    for (const arn of candidates ?? []) {
      const t = this.#byArn.get(arn);
      if (!t || clusterName(t.clusterArn) !== cluster) continue;
      if (filter.serviceName && t.group !== `service:${filter.serviceName}`) continue;
      if ((filter.desiredStatus ?? 'RUNNING') !== (t.desiredStatus ?? t.lastStatus)) continue;
      arns.push(arn);
      if (arns.length >= limit) break;
    }
    return arns;
  }

  describe(taskArns: readonly string[]): TaskState[] {
    return taskArns.flatMap((arn) => {
      const task = this.#byArn.get(arn);
      return task ? [structuredClone(task)] : [];
    });
  }
}

export { RecordedTasks };
