import { uuid } from '../core/ids.ts';
import { compact } from '../core/input.ts';
import { isoTrimmed } from '../core/time-format.ts';
import type { EcsContext } from './ecs-context.ts';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './ecs-types.ts';
import { taskEventDetail } from './task-views.ts';

const SIX_HOURS = 6 * 3_600_000;

/** Bumps the task's version and emits its "ECS Task State Change" event. */
export const emitTaskStateChange = (ctx: EcsContext, task: TaskRecord): void => {
  task.version += 1;
  task.updatedAt = ctx.clock.nowMs();
  ctx.bus.emit({
    detailType: 'ECS Task State Change',
    source: 'aws.ecs',
    resources: [task.arn],
    detail: taskEventDetail(task),
  });
};

/** Emits an "ECS Deployment State Change" event for `deployment`. */
export const emitDeploymentEvent = (
  ctx: EcsContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  eventName:
    | 'SERVICE_DEPLOYMENT_IN_PROGRESS'
    | 'SERVICE_DEPLOYMENT_COMPLETED'
    | 'SERVICE_DEPLOYMENT_FAILED',
  reason: string,
): void => {
  ctx.bus.emit({
    detailType: 'ECS Deployment State Change',
    source: 'aws.ecs',
    resources: [service.arn],
    detail: {
      eventType: eventName === 'SERVICE_DEPLOYMENT_FAILED' ? 'ERROR' : 'INFO',
      eventName,
      clusterArn: service.clusterArn,
      deploymentId: deployment.id,
      updatedAt: isoTrimmed(deployment.updatedAt),
      reason,
    },
  });
};

/** Emits an "ECS Service Action" event. */
export const emitServiceAction = (
  ctx: EcsContext,
  service: ServiceRecord,
  eventName: string,
  eventType: 'INFO' | 'WARN' | 'ERROR',
  extra: {
    reason?: string;
    capacityProviderArns?: string[];
    containerInstanceArns?: string[];
  } = {},
): void => {
  ctx.bus.emit({
    detailType: 'ECS Service Action',
    source: 'aws.ecs',
    resources: [service.arn],
    detail: compact({
      eventType,
      eventName,
      clusterArn: service.clusterArn,
      capacityProviderArns: extra.capacityProviderArns,
      containerInstanceArns: extra.containerInstanceArns,
      reason: extra.reason,
      createdAt: isoTrimmed(ctx.clock.nowMs()),
    }),
  });
};

/**
 * Adds a message to the service's event log (newest first, at most 100), omitting a repeat of the
 * latest message within six hours as ECS does.
 */
export const addServiceEvent = (ctx: EcsContext, service: ServiceRecord, message: string): void => {
  const now = ctx.clock.nowMs();
  const latest = service.events[0];
  const text = `(service ${service.name}) ${message}`;
  if (latest !== undefined && latest.message === text && now - latest.createdAt < SIX_HOURS) return;
  service.events.unshift({ id: uuid(), createdAt: now, message: text });
  service.events.length = Math.min(service.events.length, 100);
};

/** " (task a) (task b)" for a service event message. */
export const taskList = (tasks: TaskRecord[]): string =>
  tasks.map((t) => `(task ${t.id})`).join(' ');
