import { roleArnOf } from '../core/identity.ts';
import { compact, isObject, type JsonObject, readInput } from '../core/input.ts';
import type { CallContext } from '../server/service-types.ts';
import {
  type EcsContext,
  ecsErrors,
  findTaskDefinition,
  requireCluster,
  requireLaunchableTaskDefinition,
  serviceArn,
  serviceNameOf,
} from './ecs-context.ts';
import type { ClusterRecord, ServiceRecord } from './ecs-types.ts';
import { page } from './paging.ts';
import { checkStrategy } from './progressive/strategy-config.ts';
import { checkLaunch, deploymentConfiguration, startDeployment } from './service-deployments.ts';
import { requestReconcile } from './service-scheduler.ts';
import { serviceView } from './service-views.ts';
import { parseTags } from './tag-operations.ts';
import { resolvePlacement } from './task-launch.ts';
import { fingerprint } from './task-operations.ts';

const CONTROLLERS = new Set(['ECS', 'CODE_DEPLOY', 'EXTERNAL']);

const serviceKey = (cluster: string, name: string): string => `${cluster}/${name}`;

/** CreateService: creates the service and its first PRIMARY deployment. */
export const createService = (
  ctx: EcsContext,
  input: JsonObject,
  call: CallContext,
): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const name = read.str('serviceName');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw ecsErrors.invalid(
      'Service name can only contain letters, numbers, hyphens and underscores (255 max).',
    );
  }
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const { clientToken: _token, ...params } = input;
  const print = fingerprint(params);
  const existing = ctx.state.services.get(serviceKey(cluster.name, name));
  if (existing !== undefined && existing.status !== 'INACTIVE') {
    if (existing.createFingerprint === print) return { service: serviceView(ctx, existing, false) };
    throw ecsErrors.invalid('Creation of service was not idempotent.');
  }
  const controllerType = isObject(input.deploymentController)
    ? String(input.deploymentController.type ?? 'ECS')
    : 'ECS';
  if (!CONTROLLERS.has(controllerType))
    throw ecsErrors.invalid(`Invalid deployment controller type ${controllerType}.`);
  const scheduling = read.optStr('schedulingStrategy') ?? 'REPLICA';
  const desiredCount = read.optNum('desiredCount') ?? (scheduling === 'DAEMON' ? 1 : undefined);
  if (desiredCount === undefined)
    throw ecsErrors.invalid('desiredCount is required for the REPLICA scheduling strategy.');
  if (!Number.isInteger(desiredCount) || desiredCount < 0)
    throw ecsErrors.invalid('desiredCount must be a non-negative integer.');
  const td = requireLaunchableTaskDefinition(ctx, read.str('taskDefinition'));
  const launchType = read.optStr('launchType');
  const strategy = read.optArr('capacityProviderStrategy')?.filter(isObject);
  const network = read.optObj('networkConfiguration');
  checkLaunch(cluster, td, launchType, strategy, network);
  const fargate = resolvePlacement(cluster, launchType, strategy).launchType === 'FARGATE';
  const loadBalancers = (read.optArr('loadBalancers') ?? []).filter(isObject);
  checkStrategy(read.optObj('deploymentConfiguration') ?? {}, controllerType, loadBalancers);
  const now = ctx.clock.nowMs();
  const service: ServiceRecord = {
    arn: serviceArn(ctx, cluster.name, name),
    name,
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    taskDefinitionArn: td.arn,
    desiredCount,
    loadBalancers,
    serviceRegistries: (read.optArr('serviceRegistries') ?? []).filter(isObject),
    deploymentController: { type: controllerType as ServiceRecord['deploymentController']['type'] },
    deploymentConfiguration: deploymentConfiguration(read.optObj('deploymentConfiguration')),
    schedulingStrategy: scheduling === 'DAEMON' ? 'DAEMON' : 'REPLICA',
    placementConstraints: (read.optArr('placementConstraints') ?? []).filter(isObject),
    placementStrategy: (read.optArr('placementStrategy') ?? []).filter(isObject),
    enableECSManagedTags: read.optBool('enableECSManagedTags') ?? false,
    propagateTags: read.optStr('propagateTags') ?? 'NONE',
    enableExecuteCommand: read.optBool('enableExecuteCommand') ?? false,
    tags: parseTags(read.optArr('tags')),
    createdAt: now,
    createdBy: roleArnOf(call.principal.arn),
    deployments: [],
    events: [],
    createFingerprint: print,
    steady: false,
    startFailures: 0,
    launchNotBefore: 0,
    startImpairedReported: false,
    pendingReplacements: 0,
    ...compact({
      launchType:
        launchType ??
        (strategy === undefined && cluster.defaultCapacityProviderStrategy.length === 0
          ? 'EC2'
          : undefined),
      capacityProviderStrategy: strategy,
      platformVersion: fargate ? (read.optStr('platformVersion') ?? 'LATEST') : undefined,
      platformFamily: fargate ? 'Linux' : undefined,
      networkConfiguration: network,
      healthCheckGracePeriodSeconds: read.optNum('healthCheckGracePeriodSeconds'),
    }),
  };
  ctx.state.services.set(serviceKey(cluster.name, name), service);
  startDeployment(ctx, service);
  requestReconcile(ctx, service);
  return { service: serviceView(ctx, service, false) };
};

const findService = (
  ctx: EcsContext,
  cluster: ClusterRecord,
  ref: string,
): ServiceRecord | undefined => {
  const service = ctx.state.services.get(serviceKey(cluster.name, serviceNameOf(ref)));
  if (service === undefined) return undefined;
  const expired =
    service.status === 'INACTIVE' &&
    ctx.clock.nowMs() - (service.deletedAt ?? 0) > ctx.timing.stoppedRetentionMs;
  return expired ? undefined : service;
};

/** UpdateService: a new task definition (or forceNewDeployment) starts a new deployment. */
export const updateService = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const service = findService(ctx, cluster, read.str('service'));
  if (service === undefined) throw ecsErrors.serviceNotFound();
  if (service.status !== 'ACTIVE') throw ecsErrors.serviceNotActive();
  const tdRef = read.optStr('taskDefinition');
  const td = tdRef === undefined ? undefined : requireLaunchableTaskDefinition(ctx, tdRef);
  const tdChanged = td !== undefined && td.arn !== service.taskDefinitionArn;
  if (tdChanged && service.deploymentController.type === 'CODE_DEPLOY') {
    throw ecsErrors.invalid(
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  }
  const desiredCount = read.optNum('desiredCount');
  if (desiredCount !== undefined && (!Number.isInteger(desiredCount) || desiredCount < 0)) {
    throw ecsErrors.invalid('desiredCount must be a non-negative integer.');
  }
  const network = read.optObj('networkConfiguration');
  const strategy = read.optArr('capacityProviderStrategy')?.filter(isObject);
  const platformVersion = read.optStr('platformVersion');
  const effectiveTd = td ?? findTaskDefinition(ctx, service.taskDefinitionArn);
  if (
    effectiveTd !== undefined &&
    (network !== undefined || strategy !== undefined || td !== undefined)
  ) {
    checkLaunch(
      cluster,
      effectiveTd,
      strategy === undefined ? service.launchType : undefined,
      strategy ?? service.capacityProviderStrategy,
      network ?? service.networkConfiguration,
    );
  }
  const changed =
    tdChanged ||
    (network !== undefined &&
      fingerprint(network) !== fingerprint(service.networkConfiguration ?? null)) ||
    (strategy !== undefined &&
      fingerprint(strategy) !== fingerprint(service.capacityProviderStrategy ?? null)) ||
    (platformVersion !== undefined && platformVersion !== service.platformVersion);
  const config = read.optObj('deploymentConfiguration');
  const merged =
    config === undefined
      ? undefined
      : deploymentConfiguration(config, service.deploymentConfiguration);
  if (merged !== undefined)
    checkStrategy(merged, service.deploymentController.type, service.loadBalancers);
  if (td !== undefined) service.taskDefinitionArn = td.arn;
  if (desiredCount !== undefined) service.desiredCount = desiredCount;
  if (network !== undefined) service.networkConfiguration = network;
  if (strategy !== undefined) {
    service.capacityProviderStrategy = strategy;
    delete service.launchType;
  }
  if (platformVersion !== undefined) service.platformVersion = platformVersion;
  if (merged !== undefined) service.deploymentConfiguration = merged;
  const grace = read.optNum('healthCheckGracePeriodSeconds');
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  for (const key of ['enableExecuteCommand', 'enableECSManagedTags'] as const) {
    const value = read.optBool(key);
    if (value !== undefined) service[key] = value;
  }
  const propagate = read.optStr('propagateTags');
  if (propagate !== undefined) service.propagateTags = propagate;
  if (changed || read.optBool('forceNewDeployment') === true) startDeployment(ctx, service);
  requestReconcile(ctx, service);
  return { service: serviceView(ctx, service, false) };
};

/** DeleteService: DRAINING until its tasks stop, then INACTIVE. */
export const deleteService = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const service = findService(ctx, cluster, read.str('service'));
  if (service === undefined) throw ecsErrors.serviceNotFound();
  if (service.status !== 'ACTIVE') throw ecsErrors.serviceNotActive();
  if (service.desiredCount > 0 && read.optBool('force') !== true) {
    throw ecsErrors.invalid('The service cannot be stopped while it is scaled above 0.');
  }
  service.status = 'DRAINING';
  service.desiredCount = 0;
  service.deletedAt = ctx.clock.nowMs();
  requestReconcile(ctx, service);
  return { service: serviceView(ctx, service, false) };
};

/** DescribeServices (at most 10; unknown ones are MISSING failures). */
export const describeServices = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const refs = read.optStrArr('services') ?? [];
  if (refs.length === 0) throw ecsErrors.invalid('Services cannot be empty.');
  if (refs.length > 10) throw ecsErrors.invalid('services can have at most 10 items.');
  const withTags = (read.optStrArr('include') ?? []).includes('TAGS');
  const services: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const service = findService(ctx, cluster, ref);
    if (service) services.push(serviceView(ctx, service, withTags));
    else
      failures.push({
        arn: ref.startsWith('arn:') ? ref : serviceArn(ctx, cluster.name, ref),
        reason: 'MISSING',
      });
  }
  return { services, failures };
};

/** ListServices (ACTIVE and DRAINING services; 10 per page by default). */
export const listServices = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const launchType = read.optStr('launchType');
  const scheduling = read.optStr('schedulingStrategy');
  const arns = [...ctx.state.services.values()]
    .filter((s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE')
    .filter((s) => launchType === undefined || s.launchType === launchType)
    .filter((s) => scheduling === undefined || s.schedulingStrategy === scheduling)
    .map((s) => s.arn);
  const { items, nextToken } = page(
    arns,
    read.optNum('maxResults'),
    read.optStr('nextToken'),
    100,
    10,
  );
  return compact({ serviceArns: items, nextToken });
};
