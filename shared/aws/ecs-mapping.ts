import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { DeploymentState, ServiceState } from '../core/ecs-state.ts';

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
