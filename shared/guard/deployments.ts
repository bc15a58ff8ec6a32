import type { DeploymentState } from '#aws/ecs/state.ts';
import { deploymentThreadId } from '#kernel/alerts/threads.ts';
import type { DeploymentOrigin, RollbackRecord } from './records.ts';
import type { DeploymentFacts } from './state.ts';

/** ECS's reason on a deployment its circuit breaker (or alarms) rolls back to. */
const ECS_ROLLING_BACK = /rolling back to deploymentId/i;

// Lambda's clock and ECS's may differ a little; a guard rollback starts right after its claim.
const CLOCK_SKEW_MS = 5_000;

/** Where a deployment stands for the guard. */
type DeploymentPhase = 'in-progress' | 'failed' | 'baking' | 'over' | 'superseded';

const time = (value: Date | string | undefined): number | undefined =>
  value === undefined ? undefined : new Date(value).getTime();

/** The rollback record of the guard that started this deployment, if it did. */
const guardRollbackOf = (j: DeploymentFacts): RollbackRecord | undefined => {
  const d = j.deployment;
  return j.history.rollbacks.find((r) => {
    if (r.rollbackDeploymentId) return r.rollbackDeploymentId === j.deploymentId;
    const created = time(d?.createdAt);
    return (
      d !== undefined &&
      r.toTaskDefinition === d.taskDefinition &&
      created !== undefined &&
      created >= Date.parse(r.at) - CLOCK_SKEW_MS
    );
  });
};

/** How the deployment came about: a deployment, or a rollback by ECS or by the guard. */
const originOf = (j: DeploymentFacts): DeploymentOrigin => {
  if (
    j.deployment?.rolloutState === 'IN_PROGRESS' &&
    ECS_ROLLING_BACK.test(j.deployment.rolloutStateReason ?? '')
  )
    return 'ecs-rollback';
  if (j.watch && j.watch.origin !== 'deployment') return j.watch.origin;
  return guardRollbackOf(j) ? 'guard-rollback' : 'deployment';
};

/** For a rollback: the deployment it undoes. */
const rollbackOf = (j: DeploymentFacts): string | undefined => {
  const origin = originOf(j);
  if (origin === 'guard-rollback')
    return j.watch?.rollbackOf ?? guardRollbackOf(j)?.fromDeploymentId;
  if (origin !== 'ecs-rollback') return undefined;
  const failed = j.ecs.deployments
    .filter((d) => d.id !== j.deploymentId && d.rolloutState === 'FAILED')
    .sort((a, b) => (time(b.updatedAt) ?? 0) - (time(a.updatedAt) ?? 0))[0];
  return failed?.id ?? j.watch?.rollbackOf;
};

/**
 * The newer deployment a completing one undoes although the guard has not seen it start as a
 * rollback (that event may still be on Lambda's retries, a minute or more behind). ECS rolls back
 * by bringing the last completed deployment back: it completes again after a newer one FAILED
 * (still listed by ECS), or after a newer one the guard watched that replaced its task definition
 * and never completed.
 */
const undoneDeploymentOf = (j: DeploymentFacts): string | undefined => {
  const d = j.deployment;
  if (!d) return undefined;
  const created = time(d.createdAt) ?? Number.POSITIVE_INFINITY;
  const failed = j.ecs.deployments.find(
    (other) =>
      other.id !== d.id &&
      other.rolloutState === 'FAILED' &&
      (time(other.createdAt) ?? 0) > created,
  );
  const watched = j.history.watches.find(
    (w) =>
      w.deploymentId !== d.id &&
      w.completedAt === undefined &&
      w.previousTaskDefinition === d.taskDefinition &&
      w.taskDefinition !== d.taskDefinition,
  );
  return failed?.id ?? watched?.deploymentId;
};

/**
 * The alert thread: a rollback continues the thread of the deployment it undoes; a blue/green,
 * linear or canary deployment's is its service deployment's (the hook function's alerts are there).
 */
const threadOf = (j: DeploymentFacts): string =>
  deploymentThreadId(
    j.cluster,
    j.service,
    j.serviceDeployment?.id ?? rollbackOf(j) ?? j.deploymentId,
  );

/** The task definition of the last deployment that completed before this one: the rollback target. */
const lastCompletedTaskDefinition = (j: DeploymentFacts): string | undefined => {
  const completed = j.ecs.deployments
    .filter((d) => d.id !== j.deploymentId && d.rolloutState === 'COMPLETED')
    .sort((a, b) => (time(b.updatedAt) ?? 0) - (time(a.updatedAt) ?? 0))[0];
  return completed?.taskDefinition || j.watch?.previousTaskDefinition;
};

/** Task definitions known to have failed on this service: rolled back by the guard, or FAILED in ECS. */
const failedTaskDefinitions = (j: DeploymentFacts): Set<string> =>
  new Set([
    ...j.history.rollbacks.map((r) => r.fromTaskDefinition),
    ...j.ecs.deployments.filter((d) => d.rolloutState === 'FAILED').map((d) => d.taskDefinition),
  ]);

/** When the deployment completed (the watch remembers it; ECS's updatedAt says it otherwise). */
const completedAt = (j: DeploymentFacts): number | undefined =>
  time(j.watch?.completedAt) ??
  (j.deployment?.rolloutState === 'COMPLETED' ? time(j.deployment.updatedAt) : undefined);

/** Where the deployment stands: guarded while in progress, failed, or baking after completion. */
const phaseOf = (j: DeploymentFacts): DeploymentPhase => {
  const d = j.deployment;
  if (!d) return 'over';
  if (d.status !== 'PRIMARY') return 'superseded';
  if (d.rolloutState === 'FAILED') return 'failed';
  if (d.rolloutState !== 'COMPLETED') return 'in-progress';
  const done = completedAt(j) ?? j.now.getTime();
  return j.now.getTime() <= done + j.settings.bakeMinutes * 60_000 ? 'baking' : 'over';
};

/** Whole minutes since the deployment started. */
const minutesSinceStart = (j: DeploymentFacts): number | undefined => {
  const started = time(j.watch?.startedAt) ?? time(j.deployment?.createdAt);
  return started === undefined
    ? undefined
    : Math.max(0, Math.round((j.now.getTime() - started) / 60_000));
};

/**
 * How long ECS gets to start the rollback it promised (its breaker or alarms have `rollback` on);
 * after that the guard treats the deployment as failed without a rollback (containers-roadmap #1488).
 */
const ECS_ROLLBACK_GRACE_MS = 3 * 60_000;

/** Whether ECS rolls a FAILED deployment back by itself: rollback on, and a completed deployment to go to. */
const ecsRollsBack = (j: DeploymentFacts): boolean => {
  const reason = j.deployment?.rolloutStateReason ?? '';
  const byBreaker = /^ECS deployment circuit breaker/i.test(reason);
  const configured = byBreaker
    ? j.ecs.circuitBreaker?.rollback === true
    : j.ecs.alarms?.rollback === true || j.ecs.circuitBreaker?.rollback === true;
  const target = j.ecs.deployments.some(
    (d) => d.id !== j.deploymentId && d.rolloutState === 'COMPLETED',
  );
  return configured && target;
};

/** The current PRIMARY deployment of the service. */
const primaryOf = (j: DeploymentFacts): DeploymentState | undefined =>
  j.ecs.deployments.find((d) => d.status === 'PRIMARY');

export {
  completedAt,
  type DeploymentPhase,
  ECS_ROLLBACK_GRACE_MS,
  ECS_ROLLING_BACK,
  ecsRollsBack,
  failedTaskDefinitions,
  guardRollbackOf,
  lastCompletedTaskDefinition,
  minutesSinceStart,
  originOf,
  phaseOf,
  primaryOf,
  rollbackOf,
  threadOf,
  undoneDeploymentOf,
};
