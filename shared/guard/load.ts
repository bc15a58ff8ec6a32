import type { DeploymentState, ServiceState, TaskState } from '#aws/ecs/state.ts';
import { ServiceNotFoundError } from '#kernel/errors.ts';
import type { DeploymentGuardConfig, GuardConfig } from './config.ts';
import type { GuardPorts } from './ports.ts';
import type { ServiceGuardHistory, WatchRef } from './records.ts';
import { rollbackDone } from './records.ts';
import { serviceDeploymentsOf } from './service-deployments.ts';
import { resolveGuardSettings } from './settings.ts';
import type { GuardEvent, GuardState, ServiceSnapshot } from './state.ts';
import { watchedAlarms } from './triggers/alarm.ts';

// One DescribeTasks call: enough to count any configured number of failures (at most 200 is
// allowed, and a hundred recent stopped tasks of one deployment hold far more than the limit).
const STOPPED_TASKS_LIMIT = 100;

const EMPTY: GuardState = { services: [], alarmStates: {}, refs: [] };

/** Whether the deployment may still fail something: it is the current one and not done baking. */
const mayCount = (deployment: DeploymentState | undefined): boolean =>
  deployment?.status === 'PRIMARY';

/** The deployment's stopped tasks: ListTasks(startedBy, STOPPED) and DescribeTasks, two calls. */
const stoppedTasksOf = async (
  ports: GuardPorts,
  cluster: string,
  deploymentId: string,
): Promise<TaskState[]> => {
  const arns = await ports.ecs.listTasks(
    cluster,
    { startedBy: deploymentId, desiredStatus: 'STOPPED' },
    { limit: STOPPED_TASKS_LIMIT },
  );
  return arns.length > 0 ? ports.ecs.describeTasks(cluster, arns) : [];
};

/**
 * Whether a failed task needs ECS's view of its deployment: not once the deployment's rollback is
 * recorded, nor while its tally (failures counted so far, with their threshold) stays below the
 * threshold with this task added.
 */
const needsEcs = (history: ServiceGuardHistory, deploymentId: string, taskArn: string): boolean => {
  if (rollbackDone(history, deploymentId)) return false;
  const tally = history.tallies?.find((t) => t.deploymentId === deploymentId);
  if (!tally) return true;
  if (tally.taskArns.includes(taskArn)) return false;
  return tally.taskArns.length + 1 >= tally.threshold;
};

/** DescribeServices; a missing service is ECS's ServiceNotFound (reported once, dropped). */
const requireService = async (
  ports: GuardPorts,
  cluster: string,
  service: string,
): Promise<ServiceState> => {
  const described = await ports.ecs.describeService(cluster, service);
  if (!described) throw new ServiceNotFoundError(cluster, service);
  return described;
};

/** DescribeServices for a watched service, which may have been deleted since. */
const describeIfAny = async (
  ports: GuardPorts,
  cluster: string,
  service: string,
): Promise<ServiceState | undefined> => {
  try {
    return await ports.ecs.describeService(cluster, service);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ClusterNotFoundException' || name === 'ServiceNotFoundException')
      return undefined;
    throw error;
  }
};

/** Snapshots of the services the watches belong to, with stopped tasks of the deployments still current. */
const snapshotsOf = async (
  ports: GuardPorts,
  refs: readonly WatchRef[],
  config: DeploymentGuardConfig,
): Promise<ServiceSnapshot[]> => {
  const services = [...new Map(refs.map((r) => [`${r.cluster}/${r.service}`, r])).values()];
  const snapshots: ServiceSnapshot[] = [];
  for (const { cluster, service } of services) {
    const ecs = await describeIfAny(ports, cluster, service);
    const history = await ports.guardStore.history(cluster, service);
    const stoppedTasks: TaskState[] = [];
    for (const ref of refs.filter((r) => r.cluster === cluster && r.service === service)) {
      const deployment = ecs?.deployments.find((d) => d.id === ref.deploymentId);
      if (mayCount(deployment))
        stoppedTasks.push(...(await stoppedTasksOf(ports, cluster, ref.deploymentId)));
    }
    const settings = ecs && resolveGuardSettings(config, cluster, service, ecs);
    const serviceDeployments = ecs
      ? await serviceDeploymentsOf(
          ports.serviceDeployments,
          cluster,
          ecs,
          refs
            .filter((r) => r.service === service)
            .map((r) => ecs.deployments.find((d) => d.id === r.deploymentId)),
        )
      : {};
    snapshots.push({ cluster, service, ecs, settings, history, stoppedTasks, serviceDeployments });
  }
  return snapshots;
};

/**
 * Builds the guard's state from ECS, CloudWatch and its table. A stopped task costs at most three
 * ECS calls here (DescribeServices, ListTasks, DescribeTasks), and a rollback one more.
 */
const loadGuardState = async (
  event: GuardEvent,
  ports: GuardPorts,
  config: GuardConfig,
): Promise<GuardState> => {
  switch (event.kind) {
    case 'task-state-change': {
      const { cluster, service, deploymentId } = event.task as {
        cluster: string;
        service: string;
        deploymentId: string;
      };
      // The guard's memory first: a deployment whose rollback is recorded, or whose failures
      // counted so far stay below its threshold, needs no ECS call (a failing service of 1,000
      // tasks sends 2,000 STOPPED events within seconds).
      const history = await ports.guardStore.history(cluster, service);
      if (!needsEcs(history, deploymentId, event.task.taskArn))
        return {
          ...EMPTY,
          services: [
            { cluster, service, ecs: undefined, settings: undefined, history, stoppedTasks: [] },
          ],
        };
      const ecs = await requireService(ports, cluster, service);
      const settings = resolveGuardSettings(config.deploymentGuard, cluster, service, ecs);
      const deployment = ecs.deployments.find((d) => d.id === deploymentId);
      // With a limit of one, the stopped task in hand is all the count needs.
      const count =
        mayCount(deployment) &&
        settings.failedTasks.mode !== 'off' &&
        settings.failedTasks.count > 1;
      const stoppedTasks = count ? await stoppedTasksOf(ports, cluster, deploymentId) : [];
      // Blue/green, linear, canary: the service deployment a rollback would stop (three calls).
      const serviceDeployments =
        mayCount(deployment) && settings.failedTasks.mode !== 'off'
          ? await serviceDeploymentsOf(ports.serviceDeployments, cluster, ecs, [deployment])
          : {};
      return {
        ...EMPTY,
        services: [{ cluster, service, ecs, settings, history, stoppedTasks, serviceDeployments }],
      };
    }
    case 'deployment-state-change': {
      const { cluster, service } = event.subject;
      const { eventName, deploymentId } = event.raw.detail;
      const ecs = await requireService(ports, cluster, service);
      const history = await ports.guardStore.history(cluster, service);
      const settings = resolveGuardSettings(config.deploymentGuard, cluster, service, ecs);
      const deployment = ecs.deployments.find((d) => d.id === deploymentId);
      const watch = history.watches.find((w) => w.deploymentId === deploymentId);
      const alarms =
        eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' && settings.alarms.mode !== 'off'
          ? watchedAlarms(settings, watch)
          : [];
      const alarmStates = alarms.length > 0 ? await ports.alarms.alarmStates(alarms) : {};
      // A deployment ECS failed: its failures go into the rollback alert.
      const stoppedTasks =
        eventName === 'SERVICE_DEPLOYMENT_FAILED' && mayCount(deployment)
          ? await stoppedTasksOf(ports, cluster, deploymentId)
          : [];
      const serviceDeployments = await serviceDeploymentsOf(
        ports.serviceDeployments,
        cluster,
        ecs,
        [deployment],
      );
      return {
        services: [{ cluster, service, ecs, settings, history, stoppedTasks, serviceDeployments }],
        alarmStates,
        refs: [],
      };
    }
    case 'alarm-state-change': {
      const refs = await ports.guardStore.watchesForAlarm(event.raw.detail.alarmName);
      return { ...EMPTY, services: await snapshotsOf(ports, refs, config.deploymentGuard), refs };
    }
    case 'scheduled': {
      const refs = await ports.guardStore.dueWatches(event.meta.time ?? new Date());
      return { ...EMPTY, services: await snapshotsOf(ports, refs, config.deploymentGuard), refs };
    }
  }
};

export { loadGuardState };
