import {
  capacityProviderArn,
  type EcsContext,
  findTaskDefinition,
  requireCluster,
} from './ecs-context.ts';
import { addServiceEvent, emitDeploymentEvent, emitServiceAction, taskList } from './ecs-events.ts';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './ecs-types.ts';
import { reconcileProgressive } from './progressive/progressive-scheduler.ts';
import { isProgressive } from './progressive/strategy-config.ts';
import { serviceTasks } from './service-views.ts';
import { type LaunchFailure, launchTasks } from './task-launch.ts';
import { requestStop } from './task-lifecycle.ts';

/** Runs the scheduler for `service` at the next clock step, or at `at` (coalesced per instant). */
export const requestReconcile = (ctx: EcsContext, service: ServiceRecord, at?: number): void => {
  const when = at !== undefined && at > ctx.clock.nowMs() ? at : undefined;
  const key = `${service.arn}@${when ?? 'now'}`;
  if (ctx.reconcileQueued.has(key)) return;
  ctx.reconcileQueued.add(key);
  const run = (): void => {
    ctx.reconcileQueued.delete(key);
    reconcile(ctx, service);
  };
  if (when === undefined) ctx.clock.schedule(0, run);
  else ctx.clock.scheduleAt(when, run);
};

export const stopForScaling = (
  ctx: EcsContext,
  service: ServiceRecord,
  tasks: TaskRecord[],
): void => {
  if (tasks.length === 0) return;
  for (const task of tasks) {
    requestStop(ctx, task, {
      stopCode: 'ServiceSchedulerInitiated',
      reason: `Scaling activity initiated by (deployment ${task.deploymentId ?? ''})`,
      cause: 'scheduler',
      exitCode: task.behavior.kind === 'healthy' ? (task.behavior.stopExitCode ?? 137) : 137,
    });
  }
  addServiceEvent(ctx, service, `has stopped ${tasks.length} running tasks: ${taskList(tasks)}.`);
};

const reportPlacementFailure = (
  ctx: EcsContext,
  service: ServiceRecord,
  failure: LaunchFailure,
  provider: string | undefined,
): void => {
  const fargate = failure.reason === 'RESOURCE:FARGATE';
  emitServiceAction(ctx, service, 'SERVICE_TASK_PLACEMENT_FAILURE', 'ERROR', {
    reason: failure.reason,
    ...(fargate
      ? { capacityProviderArns: [capacityProviderArn(ctx, provider ?? 'FARGATE')] }
      : { containerInstanceArns: failure.arn === undefined ? [] : [failure.arn] }),
  });
  const instanceId = failure.arn?.split('/').pop() ?? '';
  const message = fargate
    ? `was unable to place a task. Reason: ${failure.detail ?? 'Capacity is unavailable at this time.'}.`
    : `was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${instanceId}) has insufficient ${failure.reason === 'RESOURCE:MEMORY' ? 'memory' : 'CPU units'} available. For more information, see the Troubleshooting section.`;
  addServiceEvent(ctx, service, message);
  service.launchNotBefore = ctx.clock.nowMs() + ctx.timing.placementRetryMs;
  requestReconcile(ctx, service, service.launchNotBefore);
};

/** Launches `count` tasks of `deployment` (registered with `targetGroupArn` when given). */
export const launchFor = (
  ctx: EcsContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  count: number,
  targetGroupArn?: string,
): void => {
  const td = findTaskDefinition(ctx, deployment.taskDefinitionArn);
  if (td === undefined) return;
  const cluster = requireCluster(ctx, service.clusterName);
  const tags =
    service.propagateTags === 'SERVICE'
      ? structuredClone(service.tags)
      : service.propagateTags === 'TASK_DEFINITION'
        ? structuredClone(td.tags)
        : [];
  if (service.enableECSManagedTags) {
    tags.push(
      { key: 'aws:ecs:clusterName', value: cluster.name },
      { key: 'aws:ecs:serviceName', value: service.name },
    );
  }
  const result = launchTasks(ctx, {
    cluster,
    taskDefinition: td,
    count,
    tags,
    group: `service:${service.name}`,
    startedBy: deployment.id,
    enableExecuteCommand: service.enableExecuteCommand,
    service,
    deploymentId: deployment.id,
    ...(targetGroupArn === undefined ? {} : { targetGroupArn }),
    ...(deployment.launchType === undefined ? {} : { launchType: deployment.launchType }),
    ...(deployment.capacityProviderStrategy === undefined
      ? {}
      : { capacityProviderStrategy: deployment.capacityProviderStrategy }),
    ...(deployment.networkConfiguration === undefined
      ? {}
      : { networkConfiguration: deployment.networkConfiguration }),
    ...(deployment.platformVersion === undefined
      ? {}
      : { platformVersion: deployment.platformVersion }),
  });
  if (result.tasks.length > 0) {
    const replaced = Math.min(service.pendingReplacements, result.tasks.length);
    service.pendingReplacements -= replaced;
    const suffix =
      replaced > 0 ? ` Amazon ECS replaced ${replaced} tasks due to an unhealthy status.` : '';
    addServiceEvent(
      ctx,
      service,
      `has started ${result.tasks.length} tasks: ${taskList(result.tasks)}.${suffix}`,
    );
    deployment.updatedAt = ctx.clock.nowMs();
  }
  const failure = result.failures[0];
  if (failure !== undefined) {
    const provider = deployment.capacityProviderStrategy?.[0]?.capacityProvider;
    reportPlacementFailure(
      ctx,
      service,
      failure,
      typeof provider === 'string' ? provider : undefined,
    );
  }
};

const percent = (service: ServiceRecord, key: string, fallback: number): number => {
  const value = service.deploymentConfiguration[key];
  return typeof value === 'number' ? value : fallback;
};

const drainDeletedService = (
  ctx: EcsContext,
  service: ServiceRecord,
  tasks: TaskRecord[],
): void => {
  stopForScaling(
    ctx,
    service,
    tasks.filter((t) => t.desiredStatus === 'RUNNING'),
  );
  if (tasks.every((t) => t.lastStatus === 'STOPPED')) {
    service.status = 'INACTIVE';
    service.deployments = [];
  }
};

// Rolling update (ECS controller): start new tasks within maximumPercent, stop old ones while
// keeping minimumHealthyPercent healthy, then report completion and steady state.
const reconcile = (ctx: EcsContext, service: ServiceRecord): void => {
  const now = ctx.clock.nowMs();
  const tasks = serviceTasks(ctx, service);
  if (service.status === 'INACTIVE') return;
  if (service.status === 'DRAINING') {
    drainDeletedService(ctx, service, tasks);
    return;
  }
  if (isProgressive(service)) {
    reconcileProgressive(ctx, service, tasks);
    return;
  }
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (primary === undefined) return;
  const live = (d: DeploymentRecord): TaskRecord[] =>
    tasks.filter((t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING');
  const healthy = (t: TaskRecord): boolean => t.lastStatus === 'RUNNING' && t.healthy;
  const desired = service.desiredCount;
  primary.desiredCount = desired;
  const old = service.deployments.filter((d) => d !== primary);
  if (primary.rolloutState !== 'FAILED') {
    const primaryLive = live(primary);
    if (primaryLive.length > desired) {
      const surplus = [...primaryLive].sort(
        (a, b) => Number(healthy(a)) - Number(healthy(b)) || b.createdAt - a.createdAt,
      );
      stopForScaling(ctx, service, surplus.slice(0, primaryLive.length - desired));
    }
    const minHealthy = Math.ceil((desired * percent(service, 'minimumHealthyPercent', 100)) / 100);
    let healthyTotal = service.deployments.reduce(
      (sum, d) => sum + live(d).filter(healthy).length,
      0,
    );
    for (const d of [...old].reverse()) {
      const oldLive = live(d);
      const running = oldLive.filter(healthy);
      const stoppable = Math.max(0, Math.min(running.length, healthyTotal - minHealthy));
      healthyTotal -= stoppable;
      stopForScaling(ctx, service, [
        ...oldLive.filter((t) => !healthy(t)),
        ...running.slice(0, stoppable),
      ]);
      d.desiredCount = live(d).length;
    }
    const need = desired - live(primary).length;
    const maxTotal = Math.floor((desired * percent(service, 'maximumPercent', 200)) / 100);
    const room = maxTotal - service.deployments.reduce((sum, d) => sum + live(d).length, 0);
    if (need > 0 && now < service.launchNotBefore) {
      requestReconcile(ctx, service, service.launchNotBefore);
    } else if (need > 0 && room > 0) {
      // Throttled services retry one task at a time.
      launchFor(ctx, service, primary, service.startFailures > 0 ? 1 : Math.min(need, room));
    } else if (
      need > 0 &&
      !tasks.some((t) => t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED')
    ) {
      addServiceEvent(
        ctx,
        service,
        'was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
      );
    }
  }
  for (const d of old) {
    const remaining = tasks.some((t) => t.deploymentId === d.id && t.lastStatus !== 'STOPPED');
    if (!remaining) {
      d.status = 'INACTIVE';
      service.deployments = service.deployments.filter((x) => x !== d);
    }
  }
  const stopping = tasks.some((t) => t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED');
  settle(ctx, service, primary, live(primary), stopping);
};

// Completion and steady state need every primary task RUNNING, healthy and stable, and every
// other task of the service fully STOPPED.
const settle = (
  ctx: EcsContext,
  service: ServiceRecord,
  primary: DeploymentRecord,
  primaryLive: TaskRecord[],
  stopping: boolean,
): void => {
  const now = ctx.clock.nowMs();
  const stableSince = (t: TaskRecord): number => (t.startedAt ?? now) + ctx.timing.stabilityMs;
  const allRunning =
    primaryLive.length === service.desiredCount &&
    primaryLive.every((t) => t.lastStatus === 'RUNNING' && t.healthy);
  const notYet = primaryLive.filter((t) => stableSince(t) > now);
  if (allRunning && notYet.length > 0) {
    requestReconcile(ctx, service, Math.max(...notYet.map(stableSince)));
  }
  const steady = allRunning && notYet.length === 0 && !stopping && service.deployments.length === 1;
  if (steady && primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = now;
    service.lastCompleted = structuredClone(primary);
    emitDeploymentEvent(
      ctx,
      service,
      primary,
      'SERVICE_DEPLOYMENT_COMPLETED',
      primary.rolloutStateReason,
    );
    addServiceEvent(ctx, service, `(deployment ${primary.id}) deployment completed.`);
  }
  if (steady && !service.steady) {
    addServiceEvent(ctx, service, 'has reached a steady state.');
    emitServiceAction(ctx, service, 'SERVICE_STEADY_STATE', 'INFO');
  }
  service.steady = steady;
};
