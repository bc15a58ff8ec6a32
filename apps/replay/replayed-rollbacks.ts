import type { DeploymentState, ServiceState } from '#aws/ecs/state.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';

const ROLLING_BACK = /rolling back to deploymentId/i;

/**
 * How long after a replayed rollback the recording's next deployment may start and still be that
 * rollback (the live guard's UpdateService, seen seconds later as IN_PROGRESS). A deployment
 * starting later is someone else's: a person's, or the live guard acting at another moment.
 */
const ADOPT_WITHIN_MS = 60_000;

/** A rollback the replay made that the recording does not (yet) show. */
interface PendingRollback {
  id: string;
  at: Date;
  from: string;
  target: string;
}

type DeploymentEvent = EventOfKind<'deployment-state-change'>;

/**
 * The deployments replayed rollbacks start. Live, UpdateService makes DescribeServices show a new
 * PRIMARY deployment at once and the failing one ACTIVE; the replay does the same, so that later
 * events of the failing deployment are judged as superseded. When the recording shows that
 * rollback's deployment (the live guard made the same one), its id replaces the replay's.
 */
class ReplayedRollbacks {
  readonly #pending = new Map<string, PendingRollback>();
  #count = 0;

  /** Starts the rollback's deployment in the service, as UpdateService does; returns its id. */
  start(key: string, service: ServiceState, target: string, now: Date): string {
    const from = service.deployments.find((d) => d.status === 'PRIMARY');
    this.#count += 1;
    const id = `ecs-svc/replayed-rollback-${this.#count}`;
    const deployment: DeploymentState = {
      id,
      status: 'PRIMARY',
      taskDefinition: target,
      desiredCount: service.desiredCount,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      createdAt: now,
      updatedAt: now,
    };
    for (const d of service.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    service.deployments.unshift(deployment);
    service.taskDefinition = target;
    this.#pending.set(key, { id, at: now, from: from?.id ?? '', target });
    return id;
  }

  /**
   * The recorded IN_PROGRESS of a new deployment: the replayed rollback's own (returns the id to
   * rename, and forgets the rollback), or another deployment that supersedes it.
   */
  adopt(key: string, event: DeploymentEvent): PendingRollback | undefined {
    const pending = this.#pending.get(key);
    const { eventName, reason } = event.raw.detail;
    if (!pending || eventName !== 'SERVICE_DEPLOYMENT_IN_PROGRESS') return undefined;
    if (ROLLING_BACK.test(reason ?? '')) return undefined;
    this.#pending.delete(key);
    const at = event.meta.time?.getTime() ?? Number.POSITIVE_INFINITY;
    return at - pending.at.getTime() <= ADOPT_WITHIN_MS ? pending : undefined;
  }

  /**
   * Why a recorded deployment event did not happen in the replayed world, if it did not: it
   * reports the progress of a deployment the replay rolled back (completed, failed, ECS rolling
   * it back), which the recording shows only because the live run did not roll back then.
   */
  divergence(key: string, event: DeploymentEvent): string | undefined {
    const pending = this.#pending.get(key);
    if (!pending) return undefined;
    const { eventName, deploymentId, reason } = event.raw.detail;
    const aboutRolledBack = deploymentId === pending.from;
    const ecsRollback =
      eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' && ROLLING_BACK.test(reason ?? '');
    const progressOfOther =
      eventName !== 'SERVICE_DEPLOYMENT_IN_PROGRESS' && deploymentId !== pending.id;
    if (!aboutRolledBack && !ecsRollback && !progressOfOther) return undefined;
    return `the replay rolled ${key} back at ${pending.at.toISOString()} (deployment ${pending.from} superseded); the recording goes on without that rollback, so this event did not happen in the replayed world and is not decided`;
  }
}

export { ADOPT_WITHIN_MS, type PendingRollback, ReplayedRollbacks };
