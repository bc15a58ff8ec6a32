import type { DeploymentWatch } from '#guard/records.ts';
import type { HarbormasterEvent } from '#kernel/events/parse.ts';
import { breakerConfigOf, judgeBreaker, type TaskObservation } from './circuit-breaker.ts';
import type { RecordedEcs } from './recorded-ecs.ts';
import type { ReplayEntry } from './replay-engine.ts';
import type { ReplayedAction } from './replay-view.ts';
import type {
  AlertCount,
  DeploymentSummary,
  FirstAction,
  ReplaySummary,
  ServiceSummary,
} from './summary-types.ts';

interface Tracked {
  service: string;
  deploymentId: string;
  startedAt: string | undefined;
  recorded: string | undefined;
  failures: Set<string>;
  failureTimes: string[];
  firstAction: FirstAction | undefined;
  alerts: AlertCount;
  tasks: TaskObservation[];
  /** Whether a COMPLETED deployment was there to roll back to when it started. */
  hasTarget: boolean | undefined;
}

const FIRST_ACTIONS: Record<string, FirstAction['kind']> = {
  'would-roll-back': 'would-roll-back',
  'cannot-roll-back': 'cannot-roll-back',
};

const countAlert = (count: AlertCount, action: ReplayedAction): void => {
  if (action.type !== 'notify') return;
  if (/: sent/.test(action.detail)) count.sent += 1;
  else if (/: duplicate/.test(action.detail)) count.duplicates += 1;
};

/**
 * Gathers, as a replay goes, what the end-of-run summary says per service and deployment: the
 * first action and its time, the failed tasks before it, the alerts sent after deduplication, and
 * what ECS's circuit breaker would have done with the same recorded tasks.
 */
class SummaryCollector {
  readonly #ecs: RecordedEcs;
  readonly #deployments = new Map<string, Tracked>();
  readonly #otherAlerts = new Map<string, AlertCount>();
  readonly #missing = new Set<string>();
  readonly #totals = { events: 0, invalid: 0, undecided: 0, diverged: 0, sweeps: 0 };
  readonly #alerts: AlertCount = { sent: 0, duplicates: 0 };

  constructor(ecs: RecordedEcs) {
    this.#ecs = ecs;
  }

  #completedBesides(service: string, deploymentId: string): boolean {
    const [cluster = '', name = ''] = service.split('/');
    return (this.#ecs.peek(cluster, name)?.deployments ?? []).some(
      (d) => d.id !== deploymentId && d.rolloutState === 'COMPLETED',
    );
  }

  #tracked(service: string, deploymentId: string): Tracked {
    const id = `${service} ${deploymentId}`;
    let t = this.#deployments.get(id);
    if (!t) {
      t = {
        service,
        deploymentId,
        startedAt: undefined,
        recorded: undefined,
        failures: new Set(),
        failureTimes: [],
        firstAction: undefined,
        alerts: { sent: 0, duplicates: 0 },
        tasks: [],
        hasTarget: undefined,
      };
      this.#deployments.set(id, t);
    }
    return t;
  }

  observe(entry: ReplayEntry, event: HarbormasterEvent | undefined): void {
    if (entry.synthetic) this.#totals.sweeps += 1;
    else this.#totals.events += 1;
    if (entry.outcome === 'invalid') this.#totals.invalid += 1;
    if (entry.outcome === 'undecided') this.#totals.undecided += 1;
    if (entry.diverged) this.#totals.diverged += 1;
    for (const d of entry.decisions) if (d.outcome === 'undecided') this.#missing.add(d.reason);
    if (event) this.#observeEvent(event, entry.event.time);
    for (const action of entry.actions) this.#observeAction(action, entry);
  }

  #observeEvent(event: HarbormasterEvent, time: string | undefined): void {
    if (event.kind === 'deployment-state-change') {
      const t = this.#tracked(
        `${event.subject.cluster}/${event.subject.service}`,
        event.raw.detail.deploymentId,
      );
      const name = event.raw.detail.eventName.replace('SERVICE_DEPLOYMENT_', '');
      if (name === 'IN_PROGRESS' && !t.startedAt) {
        t.startedAt = event.raw.detail.updatedAt;
        t.hasTarget = this.#completedBesides(t.service, t.deploymentId);
      }
      t.recorded = name;
    }
    if (event.kind !== 'task-state-change' || !event.task.service || !event.task.deploymentId)
      return;
    const t = this.#tracked(`${event.task.cluster}/${event.task.service}`, event.task.deploymentId);
    const stopKind = event.task.lastStatus === 'STOPPED' ? event.task.stop?.kind : undefined;
    const detail = event.raw.detail;
    t.tasks.push({
      at: detail.stoppedAt ?? time ?? '',
      taskArn: event.task.taskArn,
      lastStatus: event.task.lastStatus,
      started:
        event.task.lastStatus === 'RUNNING' ||
        (!!detail.startedAt && stopKind !== 'failed-to-start'),
      stopKind,
    });
    if (stopKind && event.task.stop?.failure && !t.failures.has(event.task.taskArn)) {
      t.failures.add(event.task.taskArn);
      t.failureTimes.push(time ?? detail.stoppedAt ?? '');
    }
  }

  #observeAction(action: ReplayedAction, entry: ReplayEntry): void {
    const service =
      typeof action.cluster === 'string' && typeof action.service === 'string'
        ? `${action.cluster}/${action.service}`
        : undefined;
    const deploymentId = action.type === 'rollback' ? action.fromDeploymentId : action.deploymentId;
    const t =
      service && typeof deploymentId === 'string'
        ? this.#tracked(service, deploymentId)
        : undefined;
    if (action.type === 'notify') {
      countAlert(this.#alerts, action);
      if (t) countAlert(t.alerts, action);
      else if (service) {
        const other = this.#otherAlerts.get(service) ?? { sent: 0, duplicates: 0 };
        countAlert(other, action);
        this.#otherAlerts.set(service, other);
      }
    }
    // The rolled-back alert says why in full (the alarm and where it came from, the failures).
    if (
      t?.firstAction?.kind === 'rolled-back' &&
      action.event === 'rolled-back' &&
      !t.firstAction.told
    ) {
      t.firstAction.reason =
        typeof action.reason === 'string' ? action.reason : t.firstAction.reason;
      t.firstAction.told = true;
    }
    if (!t || t.firstAction) return;
    const kind =
      action.type === 'rollback' && action.status === 'done'
        ? 'rolled-back'
        : action.type === 'notify'
          ? FIRST_ACTIONS[String(action.event)]
          : undefined;
    if (!kind) return;
    t.firstAction = {
      kind,
      at: entry.event.time ?? '',
      trigger: typeof action.trigger === 'string' ? action.trigger : undefined,
      failedTasksBefore: t.failures.size,
      reason: typeof action.reason === 'string' ? action.reason : entry.reason,
    };
  }

  /** The summary, with the breaker judged over each deployment's recorded tasks. */
  summary(watches: readonly DeploymentWatch[] = []): ReplaySummary {
    const ecs = this.#ecs;
    const services = new Map<string, ServiceSummary>();
    for (const t of this.#deployments.values()) {
      const [cluster = '', name = ''] = t.service.split('/');
      // A service no state describes is not judged (the missing state is listed instead); a
      // deployment seen only through others' tasks (scale-in of the old one) has nothing to say.
      if (!ecs.peek(cluster, name)) continue;
      if (
        !t.recorded &&
        t.failures.size === 0 &&
        !t.firstAction &&
        t.alerts.sent + t.alerts.duplicates === 0
      )
        continue;
      const described = ecs.peek(cluster, name);
      const deployment = ecs.deployment(cluster, name, t.deploymentId);
      const desired = described?.desiredCount ?? deployment?.desiredCount ?? 0;
      const breaker = judgeBreaker(t.tasks, {
        config: breakerConfigOf(ecs.serviceFile(cluster, name)),
        desired,
        completed: t.recorded === 'COMPLETED',
        hasTarget: t.hasTarget ?? this.#completedBesides(t.service, t.deploymentId),
      });
      const entry = services.get(t.service) ?? {
        service: t.service,
        deployments: [],
        otherAlerts: this.#otherAlerts.get(t.service) ?? { sent: 0, duplicates: 0 },
      };
      entry.deployments.push({
        deploymentId: t.deploymentId,
        taskDefinition: deployment?.taskDefinition || undefined,
        desiredCount: desired || undefined,
        startedAt: t.startedAt ?? deployment?.createdAt?.toISOString(),
        recorded: t.recorded,
        failedTasks: t.failures.size,
        failureTimes: t.failureTimes,
        firstAction: t.firstAction,
        alerts: t.alerts,
        breaker,
      });
      services.set(t.service, entry);
    }
    const stillWatched = watches.map((w) => ({
      deployment: `${w.cluster}/${w.service} ${w.deploymentId}`,
      dueAt: w.bakeUntil ?? w.deadlineAt ?? '',
      what: w.bakeUntil ? 'bake time ends' : w.deadlineAt ? 'deadline' : 'cleanup',
    }));
    return {
      ...this.#totals,
      alerts: this.#alerts,
      missingState: [...this.#missing],
      stillWatched,
      services: [...services.values()],
    };
  }
}

export {
  type DeploymentSummary,
  type FirstAction,
  type ReplaySummary,
  type ServiceSummary,
  SummaryCollector,
};
