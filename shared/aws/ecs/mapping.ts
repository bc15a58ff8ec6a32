import type { Deployment, Service, Task } from '@aws-sdk/client-ecs';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import type { DeploymentState, ServiceState } from './state.ts';

// The SDK returns Date objects; `aws ecs describe-services` JSON has ISO strings or epoch seconds.
type Timestamp = Date | string | number | undefined;

const toDate = (value: Timestamp): Date | undefined => {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value;
  return new Date(typeof value === 'number' ? value * 1000 : value);
};

type Loose<T> = { [K in keyof T]?: T[K] extends Date | undefined ? Timestamp : T[K] };

const toDeploymentState = (d: Loose<Deployment>): DeploymentState => ({
  id: d.id ?? '',
  status: d.status ?? '',
  taskDefinition: d.taskDefinition ?? '',
  desiredCount: d.desiredCount ?? 0,
  runningCount: d.runningCount ?? 0,
  pendingCount: d.pendingCount ?? 0,
  failedTasks: d.failedTasks ?? 0,
  rolloutState: d.rolloutState,
  rolloutStateReason: d.rolloutStateReason,
  createdAt: toDate(d.createdAt),
  updatedAt: toDate(d.updatedAt),
});

/** Maps a DescribeServices service (from the SDK or the AWS CLI's JSON) to a ServiceState. */
const toServiceState = (
  s: Loose<Omit<Service, 'deployments'>> & { deployments?: Loose<Deployment>[] },
): ServiceState => {
  const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;
  const alarms = s.deploymentConfiguration?.alarms;
  return {
    serviceArn: s.serviceArn ?? '',
    serviceName: s.serviceName ?? '',
    clusterArn: s.clusterArn ?? '',
    status: s.status ?? '',
    taskDefinition: s.taskDefinition ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    launchType: s.launchType,
    deploymentController: s.deploymentController?.type ?? 'ECS',
    strategy: s.deploymentConfiguration?.strategy,
    circuitBreaker: breaker
      ? { enable: breaker.enable ?? false, rollback: breaker.rollback ?? false }
      : undefined,
    alarms: alarms
      ? {
          alarmNames: alarms.alarmNames ?? [],
          enable: alarms.enable ?? false,
          rollback: alarms.rollback ?? false,
        }
      : undefined,
    deployments: (s.deployments ?? []).map(toDeploymentState),
    tags: Object.fromEntries((s.tags ?? []).map((t) => [t.key ?? '', t.value ?? ''])),
  };
};

export { toDate, toDeploymentState, toServiceState };

const iso = (value: Date | undefined): string | undefined => value?.toISOString();

/** Maps a DescribeTasks task to the task-event detail shape the classification code reads. */
const toTaskDetail = (task: Task): TaskDetail => ({
  clusterArn: task.clusterArn ?? '',
  taskArn: task.taskArn,
  taskDefinitionArn: task.taskDefinitionArn,
  lastStatus: task.lastStatus ?? 'UNKNOWN',
  desiredStatus: task.desiredStatus,
  group: task.group,
  startedBy: task.startedBy,
  stopCode: task.stopCode,
  stoppedReason: task.stoppedReason,
  version: task.version,
  launchType: task.launchType,
  capacityProviderName: task.capacityProviderName,
  containers: (task.containers ?? []).map((c) => ({
    name: c.name ?? '',
    lastStatus: c.lastStatus,
    exitCode: c.exitCode,
    reason: c.reason,
    image: c.image,
    imageDigest: c.imageDigest,
    containerArn: c.containerArn,
  })),
  overrides: task.overrides
    ? {
        containerOverrides: (task.overrides.containerOverrides ?? []).map((o) => ({
          name: o.name,
          command: o.command,
          environment: o.environment?.map((e) => ({ name: e.name, value: e.value })),
        })),
      }
    : undefined,
  createdAt: iso(task.createdAt),
  startedAt: iso(task.startedAt),
  stoppingAt: iso(task.stoppingAt),
  stoppedAt: iso(task.stoppedAt),
  updatedAt: iso(task.stoppedAt ?? task.startedAt ?? task.createdAt),
});

export { toTaskDetail };
