import { compact, type JsonObject } from '../core/input.ts';
import { epochSeconds } from '../core/time-format.ts';
import type { EcsContext } from './ecs-context.ts';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './ecs-types.ts';
import { tagsView } from './task-views.ts';

const PENDING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

/** Tasks of a service (any state still retained). */
export const serviceTasks = (ctx: EcsContext, service: ServiceRecord): TaskRecord[] =>
  [...ctx.state.tasks.values()].filter((t) => t.serviceArn === service.arn);

/** Running and pending counts of a set of tasks, as DescribeServices reports them. */
export const counts = (tasks: TaskRecord[]): { running: number; pending: number } => {
  let running = 0;
  let pending = 0;
  for (const t of tasks) {
    if (t.desiredStatus !== 'RUNNING') continue;
    if (t.lastStatus === 'RUNNING') running += 1;
    else if (PENDING.has(t.lastStatus)) pending += 1;
  }
  return { running, pending };
};

const deploymentView = (d: DeploymentRecord, tasks: TaskRecord[]): JsonObject => {
  const { running, pending } = counts(tasks.filter((t) => t.deploymentId === d.id));
  return compact({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    desiredCount: d.desiredCount,
    pendingCount: pending,
    runningCount: running,
    failedTasks: d.failedTasks,
    createdAt: epochSeconds(d.createdAt),
    updatedAt: epochSeconds(d.updatedAt),
    launchType: d.launchType,
    capacityProviderStrategy: d.capacityProviderStrategy,
    platformVersion: d.platformVersion,
    platformFamily: d.platformFamily,
    networkConfiguration: d.networkConfiguration,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  });
};

/** The service as CreateService/DescribeServices return it. */
export const serviceView = (
  ctx: EcsContext,
  service: ServiceRecord,
  includeTags: boolean,
): JsonObject => {
  const tasks = serviceTasks(ctx, service);
  const { running, pending } = counts(tasks);
  return compact({
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: structuredClone(service.loadBalancers),
    serviceRegistries: structuredClone(service.serviceRegistries),
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: running,
    pendingCount: pending,
    launchType: service.launchType,
    capacityProviderStrategy: service.capacityProviderStrategy,
    platformVersion: service.platformVersion,
    platformFamily: service.platformFamily,
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    deployments: service.deployments.map((d) => deploymentView(d, tasks)),
    events: service.events.map((e) => ({
      id: e.id,
      createdAt: epochSeconds(e.createdAt),
      message: e.message,
    })),
    createdAt: epochSeconds(service.createdAt),
    placementConstraints: service.placementConstraints,
    placementStrategy: service.placementStrategy,
    networkConfiguration: service.networkConfiguration,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: service.deploymentController,
    tags: includeTags ? tagsView(service.tags) : undefined,
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    availabilityZoneRebalancing: 'ENABLED',
  });
};
