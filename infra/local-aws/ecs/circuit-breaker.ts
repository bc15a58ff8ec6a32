import { isObject, type JsonObject } from '../core/input.ts';
import type { EcsContext } from './ecs-context.ts';
import { addServiceEvent, emitDeploymentEvent } from './ecs-events.ts';
import type { DeploymentRecord, ServiceRecord } from './ecs-types.ts';

/** The failure reason ECS reports on a deployment failed by the circuit breaker. */
export const BREAKER_FAILED_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

/** The `deploymentCircuitBreaker` block of a service (`enable`/`rollback` default false). */
export const breakerConfig = (service: ServiceRecord): JsonObject => {
  const value = service.deploymentConfiguration.deploymentCircuitBreaker;
  return isObject(value) ? value : {};
};

/** Whether a healthy task resets the failure count (default true). */
export const resetsOnHealthyTask = (service: ServiceRecord): boolean =>
  breakerConfig(service).resetOnHealthyTask !== false;

/**
 * Failures that trip the breaker: BOUNDED_PERCENT (default, value 50) clamps ⌈value% × desired⌉ to
 * 3..200; UNBOUNDED_PERCENT drops the clamp; COUNT uses the value itself.
 */
export const breakerThreshold = (service: ServiceRecord, desiredCount: number): number => {
  const config = breakerConfig(service);
  const threshold = isObject(config.thresholdConfiguration) ? config.thresholdConfiguration : {};
  const type = typeof threshold.type === 'string' ? threshold.type : 'BOUNDED_PERCENT';
  const value = typeof threshold.value === 'number' ? threshold.value : 50;
  if (type === 'COUNT') return Math.max(1, value);
  const raw = Math.ceil((desiredCount * value) / 100);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, raw) : Math.min(200, Math.max(3, raw));
};

const rollBack = (ctx: EcsContext, service: ServiceRecord, failed: DeploymentRecord): void => {
  const target = service.lastCompleted;
  if (target === undefined || target.id === failed.id) return;
  const now = ctx.clock.nowMs();
  const existing = service.deployments.find((d) => d.id === target.id);
  const rollback: DeploymentRecord = existing ?? structuredClone(target);
  failed.status = 'ACTIVE';
  Object.assign(rollback, {
    status: 'PRIMARY',
    desiredCount: service.desiredCount,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${rollback.id}.`,
    failedTasks: 0,
    breakerEvaluating: true,
    breakerStage: 1,
  });
  service.deployments = [rollback, ...service.deployments.filter((d) => d !== rollback)];
  service.taskDefinitionArn = rollback.taskDefinitionArn;
  // Nothing is COMPLETED now, so a failure of the rollback itself cannot roll back again.
  service.lastCompleted = undefined;
  service.startFailures = 0;
  service.launchNotBefore = 0;
  service.startImpairedReported = false;
  service.steady = false;
  emitDeploymentEvent(
    ctx,
    service,
    rollback,
    'SERVICE_DEPLOYMENT_IN_PROGRESS',
    rollback.rolloutStateReason ?? '',
  );
  addServiceEvent(ctx, service, `rolling back to deployment ${rollback.id}.`);
};

/**
 * Fails `deployment` when its failure count reached the threshold (ECS controller, breaker enabled,
 * rollout still in progress), then rolls back to the last COMPLETED deployment if asked to.
 * Returns whether it tripped.
 */
export const checkCircuitBreaker = (
  ctx: EcsContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
): boolean => {
  const config = breakerConfig(service);
  if (service.deploymentController.type !== 'ECS' || config.enable !== true) return false;
  if (deployment.rolloutState !== 'IN_PROGRESS' || deployment.status !== 'PRIMARY') return false;
  if (deployment.failedTasks < breakerThreshold(service, deployment.desiredCount)) return false;
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = BREAKER_FAILED_REASON;
  deployment.updatedAt = ctx.clock.nowMs();
  emitDeploymentEvent(ctx, service, deployment, 'SERVICE_DEPLOYMENT_FAILED', BREAKER_FAILED_REASON);
  addServiceEvent(
    ctx,
    service,
    `(deployment ${deployment.id}) deployment failed: tasks failed to start.`,
  );
  if (config.rollback === true) rollBack(ctx, service, deployment);
  return true;
};
