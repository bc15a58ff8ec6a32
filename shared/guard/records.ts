/**
 * What the deployment guard remembers between events (kept in its DynamoDB table): the deployments
 * it watches for a deadline and alarms, and the rollbacks it made. Everything else it reads from ECS.
 */

/** How a deployment came about: someone deployed, or ECS or the guard is rolling back. */
type DeploymentOrigin = 'deployment' | 'ecs-rollback' | 'guard-rollback';

/** Names one watched deployment. */
interface WatchRef {
  cluster: string;
  service: string;
  deploymentId: string;
}

/** A deployment the guard watches, from its start until its bake time ends. */
interface DeploymentWatch extends WatchRef {
  origin: DeploymentOrigin;
  /** Its task definition, when known at start. */
  taskDefinition: string | undefined;
  /** The task definition of the last COMPLETED deployment when it started: the rollback target. */
  previousTaskDefinition: string | undefined;
  /** For a rollback: the deployment it undoes (whose alert thread it continues). */
  rollbackOf: string | undefined;
  /** ISO-8601 times. */
  startedAt: string;
  deadlineAt: string | undefined;
  completedAt: string | undefined;
  bakeUntil: string | undefined;
  /** The CloudWatch alarms watched for it. */
  alarms: string[];
}

/**
 * Why a service was rolled back: one of the guard's triggers, an enforce-mode policy that rolls a
 * non-compliant deployment back through the guard's rollback, or a person (Roll back now in chat).
 */
type TriggerName = 'failed-tasks' | 'deadline' | 'alarm' | 'ecs-failure' | 'policy' | 'chat';

/**
 * A rollback the guard (or a policy) made; its existence is the claim that makes the rollback
 * happen once, and marks the deployment it starts as a rollback, never to be rolled back.
 */
interface RollbackRecord {
  cluster: string;
  service: string;
  fromDeploymentId: string;
  fromTaskDefinition: string;
  toTaskDefinition: string;
  trigger: TriggerName;
  /** ISO-8601 time of the decision (before UpdateService was called). */
  at: string;
  /** The deployment UpdateService started, once known. */
  rollbackDeploymentId: string | undefined;
  /** Who asked for it (trigger chat): the Slack user's id and name. */
  requestedBy?: { id: string; name: string } | undefined;
}

/**
 * The failed tasks of a deployment counted so far, and the count that fires the failed-tasks
 * trigger (from the service's settings when it was first counted). While a task added stays
 * below the threshold, its STOPPED event is counted here without asking ECS.
 */
interface FailureTally {
  deploymentId: string;
  threshold: number;
  taskArns: string[];
}

/** Everything the guard remembers about one service. */
interface ServiceGuardHistory {
  watches: DeploymentWatch[];
  rollbacks: RollbackRecord[];
  /** Absent where nothing was tallied (and in records made before tallies existed). */
  tallies?: FailureTally[];
}

/**
 * Whether the rollback of a deployment is done: UpdateService answered with the deployment it
 * started. A record not yet answered (its invocation died) is decided again by a later event.
 */
const rollbackDone = (history: ServiceGuardHistory, deploymentId: string): boolean =>
  history.rollbacks.some(
    (r) => r.fromDeploymentId === deploymentId && r.rollbackDeploymentId !== undefined,
  );

export type {
  DeploymentOrigin,
  DeploymentWatch,
  FailureTally,
  RollbackRecord,
  ServiceGuardHistory,
  TriggerName,
  WatchRef,
};
export { rollbackDone };
