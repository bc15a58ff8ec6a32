import type { DeploymentState, ServiceState, TaskState } from '#aws/ecs/state.ts';
import { chunksOf, mapBounded } from '#kernel/bounded.ts';
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

// Services read per round of a fan-out: their DescribeServices go out together, 10 services per
// call (the adapter batches them), so a round is 10 calls, about a second of the default ECS call
// budget; no call waits long for a token.
const SERVICES_PER_ROUND = 100;
// Services whose table record and stopped tasks are read at once.
const PARALLEL_SERVICES = 10;

/** Whether a deployment's stopped tasks and service deployment may be needed by the decision. */
type NeedsDetail = (
  ecs: ServiceState,
  settings: ReturnType<typeof resolveGuardSettings>,
  history: ServiceGuardHistory,
  deployment: DeploymentState,
) => boolean;

/** One service of a fan-out: its table record and, for the deployments that need them, the details. */
const snapshotOf = async (
  ports: GuardPorts,
  cluster: string,
  service: string,
  ecs: ServiceState | undefined,
  refs: readonly WatchRef[],
  config: DeploymentGuardConfig,
  needsDetail: NeedsDetail,
  withStoppedTasks: boolean,
): Promise<ServiceSnapshot> => {
  const history = await ports.guardStore.history(cluster, service);
  const settings = ecs && resolveGuardSettings(config, cluster, service, ecs);
  const detailed =
    ecs && settings
      ? refs
          .map((r) => ecs.deployments.find((d) => d.id === r.deploymentId))
          .filter(
            (d): d is DeploymentState =>
              d !== undefined && mayCount(d) && needsDetail(ecs, settings, history, d),
          )
      : [];
  const stoppedTasks: TaskState[] = [];
  for (const deployment of withStoppedTasks ? detailed : [])
    stoppedTasks.push(...(await stoppedTasksOf(ports, cluster, deployment.id)));
  const serviceDeployments = ecs
    ? await serviceDeploymentsOf(ports.serviceDeployments, cluster, ecs, detailed)
    : {};
  return { cluster, service, ecs, settings, history, stoppedTasks, serviceDeployments };
};

/**
 * Snapshots of the services the watches belong to, in rounds: DescribeServices for a round's
 * services at once (10 per call), then their records and details a few services at a time. Only
 * deployments the decision may act on (`needsDetail`) cost their stopped tasks (two calls, when
 * `withStoppedTasks`) and, for blue/green, linear and canary, their service deployment (three).
 */
const snapshotsOf = async (
  ports: GuardPorts,
  refs: readonly WatchRef[],
  config: DeploymentGuardConfig,
  needsDetail: NeedsDetail,
  withStoppedTasks: boolean,
): Promise<ServiceSnapshot[]> => {
  const services = [...new Map(refs.map((r) => [`${r.cluster}/${r.service}`, r])).values()];
  const snapshots: ServiceSnapshot[] = [];
  for (const round of chunksOf(services, SERVICES_PER_ROUND)) {
    const described = await Promise.all(
      round.map(({ cluster, service }) => describeIfAny(ports, cluster, service)),
    );
    const indexed = round.map((ref, i) => ({ ...ref, ecs: described[i] }));
    snapshots.push(
      ...(await mapBounded(indexed, PARALLEL_SERVICES, ({ cluster, service, ecs }) =>
        snapshotOf(
          ports,
          cluster,
          service,
          ecs,
          refs.filter((r) => r.cluster === cluster && r.service === service),
          config,
          needsDetail,
          withStoppedTasks,
        ),
      )),
    );
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
      const { alarmName } = event.raw.detail;
      const refs = await ports.guardStore.watchesForAlarm(alarmName);
      // Only a deployment whose alarm trigger can fire on this alarm may be rolled back by it.
      const fires: NeedsDetail = (_ecs, settings, history, deployment) =>
        settings.alarms.mode !== 'off' &&
        watchedAlarms(
          settings,
          history.watches.find((w) => w.deploymentId === deployment.id),
        ).includes(alarmName);
      // Its rollbacks name the alarm, not failed tasks: no stopped tasks are read (two calls per
      // deployment would put 1,000 deployments on one alarm past the function's timeout).
      const services = await snapshotsOf(ports, refs, config.deploymentGuard, fires, false);
      return { ...EMPTY, services, refs };
    }
    case 'scheduled': {
      const refs = await ports.guardStore.dueWatches(event.meta.time ?? new Date());
      // A COMPLETED deployment is baking or done: the sweep judges it without its failures.
      const unfinished: NeedsDetail = (_ecs, _settings, _history, deployment) =>
        deployment.rolloutState !== 'COMPLETED';
      const services = await snapshotsOf(ports, refs, config.deploymentGuard, unfinished, true);
      return { ...EMPTY, services, refs };
    }
  }
};

export { loadGuardState };
