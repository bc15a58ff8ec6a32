import { checkCircuitBreaker, resetsOnHealthyTask } from './circuit-breaker.ts';
import type { EcsContext } from './ecs-context.ts';
import { addServiceEvent, emitServiceAction } from './ecs-events.ts';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './ecs-types.ts';
import { isProgressive } from './progressive/strategy-config.ts';
import { requestReconcile } from './service-scheduler.ts';

// ECS reports SERVICE_TASK_START_IMPAIRED once tasks keep failing to start (throttle logic).
const START_IMPAIRED_AFTER = 3;

const deploymentOf = (service: ServiceRecord, task: TaskRecord): DeploymentRecord | undefined =>
  service.deployments.find((d) => d.id === task.deploymentId);

const serviceOf = (ctx: EcsContext, task: TaskRecord): ServiceRecord | undefined =>
  task.serviceArn === undefined
    ? undefined
    : [...ctx.state.services.values()].find((s) => s.arn === task.serviceArn);

const onRunning = (ctx: EcsContext, task: TaskRecord): void => {
  const service = serviceOf(ctx, task);
  if (service === undefined) return;
  service.startFailures = 0;
  service.startImpairedReported = false;
  const deployment = deploymentOf(service, task);
  if (deployment !== undefined) {
    deployment.updatedAt = ctx.clock.nowMs();
    if (task.healthy && resetsOnHealthyTask(service)) {
      deployment.failedTasks = 0;
      deployment.breakerEvaluating = false;
    } else if (deployment.breakerStage === 1) {
      // Stage 2 starts once a task runs: the stage-1 count resets and health-check kills count too.
      deployment.breakerStage = 2;
      if (resetsOnHealthyTask(service)) deployment.failedTasks = 0;
    }
  }
  requestReconcile(ctx, service);
};

const onStopping = (ctx: EcsContext, task: TaskRecord): void => {
  const service = serviceOf(ctx, task);
  if (service === undefined) return;
  const now = ctx.clock.nowMs();
  if (task.stopCause === 'start-failure') {
    service.startFailures += 1;
    const backoff = Math.min(
      ctx.timing.backoffMaxMs,
      ctx.timing.backoffBaseMs * 2 ** (service.startFailures - 1),
    );
    service.launchNotBefore = Math.max(service.launchNotBefore, now + backoff);
  }
  if (task.stopCause === 'health-check') {
    service.pendingReplacements += 1;
    const message = task.stoppedReason?.startsWith('Task failed ELB')
      ? `(task ${task.id}) is unhealthy in ${task.stoppedReason.replace('Task failed ELB health checks in ', '')} due to (reason Health checks failed).`
      : `(task ${task.id}) failed container health checks.`;
    addServiceEvent(ctx, service, message);
  }
  requestReconcile(ctx, service);
};

// The circuit breaker counts a failed task once it has stopped, so the task's STOPPED event
// precedes the deployment's SERVICE_DEPLOYMENT_FAILED, as in real ECS.
const onStopped = (ctx: EcsContext, task: TaskRecord): void => {
  const service = serviceOf(ctx, task);
  if (service === undefined) return;
  const deployment = deploymentOf(service, task);
  const counted = task.stopCause === 'start-failure' || task.stopCause === 'health-check';
  let tripped = false;
  // The circuit breaker watches rolling deployments only.
  if (deployment !== undefined && counted && !isProgressive(service)) {
    deployment.updatedAt = ctx.clock.nowMs();
    if (deployment.breakerEvaluating) deployment.failedTasks += 1;
    tripped = checkCircuitBreaker(ctx, service, deployment);
  }
  if (
    !tripped &&
    task.stopCause === 'start-failure' &&
    service.startFailures >= START_IMPAIRED_AFTER &&
    !service.startImpairedReported
  ) {
    service.startImpairedReported = true;
    addServiceEvent(ctx, service, 'is unable to consistently start tasks successfully.');
    emitServiceAction(ctx, service, 'SERVICE_TASK_START_IMPAIRED', 'WARN');
  }
  requestReconcile(ctx, service);
};

/** Wires the scheduler into the task lifecycle. */
export const installScheduler = (ctx: EcsContext): void => {
  ctx.hooks = {
    taskRunning: (task) => onRunning(ctx, task),
    taskStopping: (task) => onStopping(ctx, task),
    taskStopped: (task) => onStopped(ctx, task),
  };
};
