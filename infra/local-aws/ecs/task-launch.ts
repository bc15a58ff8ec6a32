import { createHash, randomInt } from 'node:crypto';
import { randomHex, sha256Hex, uuid } from '../core/ids.ts';
import { isObject, type JsonObject } from '../core/input.ts';
import { type EcsContext, ecsErrors, taskArn } from './ecs-context.ts';
import type {
  AttachmentRecord,
  ClusterRecord,
  ContainerRecord,
  PlacementReason,
  ServiceRecord,
  Tag,
  TaskDefinitionRecord,
  TaskRecord,
} from './ecs-types.ts';
import { startTaskLifecycle } from './task-lifecycle.ts';

/** What launching tasks needs (shared by RunTask and the service scheduler). */
export interface LaunchRequest {
  cluster: ClusterRecord;
  taskDefinition: TaskDefinitionRecord;
  count: number;
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  networkConfiguration?: JsonObject;
  platformVersion?: string;
  group?: string;
  startedBy?: string;
  overrides?: JsonObject;
  tags: Tag[];
  enableExecuteCommand?: boolean;
  service?: ServiceRecord;
  deploymentId?: string;
  /** The target group the task registers with (its revision's, for blue/green services). */
  targetGroupArn?: string;
}

/** A RunTask `failures[]` entry. */
export interface LaunchFailure {
  arn?: string;
  reason: string;
  detail?: string;
}

/** Tasks launched and placements that failed. */
export interface LaunchResult {
  tasks: TaskRecord[];
  failures: LaunchFailure[];
}

const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/** Launch type and capacity provider a request resolves to. */
export const resolvePlacement = (
  cluster: ClusterRecord,
  launchType: string | undefined,
  strategy: JsonObject[] | undefined,
): { launchType: 'FARGATE' | 'EC2' | 'EXTERNAL'; capacityProviderName?: string } => {
  if (launchType === 'FARGATE' || launchType === 'EC2' || launchType === 'EXTERNAL')
    return { launchType };
  const effective =
    strategy && strategy.length > 0 ? strategy : cluster.defaultCapacityProviderStrategy;
  const chosen =
    effective.find((s) => Number(s.base ?? 0) > 0) ??
    effective.find((s) => Number(s.weight ?? 0) > 0) ??
    effective[0];
  const provider =
    typeof chosen?.capacityProvider === 'string' ? chosen.capacityProvider : undefined;
  if (provider === undefined) return { launchType: 'EC2' };
  return {
    launchType: FARGATE_PROVIDERS.has(provider) ? 'FARGATE' : 'EC2',
    capacityProviderName: provider,
  };
};

const placementDetail: Record<PlacementReason, string> = {
  'RESOURCE:CPU': 'The closest matching container-instance has insufficient CPU units available.',
  'RESOURCE:MEMORY': 'The closest matching container-instance has insufficient memory available.',
  'RESOURCE:FARGATE':
    'Capacity is unavailable at this time. Please try again later or in a different availability zone',
  AGENT: 'The ECS agent on the closest matching container-instance is disconnected.',
};

/** Failure for a placement refused by the cluster's capacity limit. */
export const placementFailure = (cluster: ClusterRecord, fargate: boolean): LaunchFailure => {
  const reason = cluster.capacity.reason ?? (fargate ? 'RESOURCE:FARGATE' : 'RESOURCE:CPU');
  return {
    arn: reason === 'RESOURCE:FARGATE' ? cluster.arn : cluster.containerInstanceArn,
    reason,
    detail: placementDetail[reason],
  };
};

/** How many more tasks the cluster's simulated capacity admits. */
export const freeCapacity = (ctx: EcsContext, cluster: ClusterRecord): number => {
  const max = cluster.capacity.maxRunningTasks;
  if (max === undefined) return Number.POSITIVE_INFINITY;
  let used = 0;
  for (const task of ctx.state.tasks.values()) {
    if (task.clusterArn === cluster.arn && task.lastStatus !== 'STOPPED') used += 1;
  }
  return Math.max(0, max - used);
};

const sumOf = (containers: JsonObject[], key: string): number =>
  containers.reduce((sum, c) => sum + (typeof c[key] === 'number' ? (c[key] as number) : 0), 0);

const overridesView = (
  definitions: JsonObject[],
  overrides: JsonObject | undefined,
): JsonObject => {
  const given = (
    Array.isArray(overrides?.containerOverrides) ? overrides.containerOverrides : []
  ).filter(isObject);
  const containerOverrides = definitions.map((d) => ({
    ...given.find((o) => o.name === d.name),
    name: d.name,
  }));
  const rest: JsonObject = {};
  for (const key of ['cpu', 'memory', 'taskRoleArn', 'executionRoleArn', 'ephemeralStorage']) {
    if (overrides?.[key] !== undefined) rest[key] = overrides[key];
  }
  return { containerOverrides, ...rest };
};

const eniAttachment = (
  ctx: EcsContext,
  network: JsonObject | undefined,
): { attachment: AttachmentRecord; az: string } => {
  const vpc = isObject(network?.awsvpcConfiguration) ? network.awsvpcConfiguration : {};
  const subnets = Array.isArray(vpc.subnets) ? vpc.subnets.map(String) : [];
  const subnet = subnets[randomInt(0, Math.max(1, subnets.length))] ?? 'subnet-00000000000000000';
  const zoneIndex = createHash('md5').update(subnet).digest()[0] ?? 0;
  const az = `${ctx.region}${'abc'[zoneIndex % 3]}`;
  const ip = `10.0.${randomInt(0, 256)}.${randomInt(2, 255)}`;
  const dnsSuffix = ctx.region === 'us-east-1' ? 'ec2.internal' : `${ctx.region}.compute.internal`;
  const mac = Array.from({ length: 6 }, () => randomHex(2)).join(':');
  return {
    az,
    attachment: {
      id: uuid(),
      type: 'eni',
      status: 'PRECREATED',
      details: [
        { name: 'subnetId', value: subnet },
        { name: 'networkInterfaceId', value: `eni-${randomHex(17)}` },
        { name: 'macAddress', value: mac },
        { name: 'privateDnsName', value: `ip-${ip.replaceAll('.', '-')}.${dnsSuffix}` },
        { name: 'privateIPv4Address', value: ip },
      ],
    },
  };
};

const containersOf = (
  ctx: EcsContext,
  cluster: ClusterRecord,
  id: string,
  definitions: JsonObject[],
): ContainerRecord[] =>
  definitions.map((d) => {
    const image = String(d.image ?? '');
    return {
      arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:container/${cluster.name}/${id}/${uuid()}`,
      name: String(d.name ?? ''),
      image,
      imageDigest: `sha256:${sha256Hex(image)}`,
      essential: d.essential !== false,
      lastStatus: 'PENDING',
      cpu: String(typeof d.cpu === 'number' ? d.cpu : 0),
      ...(typeof d.memory === 'number' ? { memory: String(d.memory) } : {}),
      ...(typeof d.memoryReservation === 'number'
        ? { memoryReservation: String(d.memoryReservation) }
        : {}),
      hasHealthCheck: isObject(d.healthCheck),
      healthStatus: 'UNKNOWN',
    };
  });

/** The target group a failing ELB health check names. */
export const targetGroupArnFor = (ctx: EcsContext, service: ServiceRecord | undefined): string => {
  const lb = service?.loadBalancers.find((l) => typeof l.targetGroupArn === 'string');
  if (lb !== undefined) return String(lb.targetGroupArn);
  const name = (service?.name ?? 'task').slice(0, 29);
  return `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${name}-tg/${sha256Hex(name).slice(0, 16)}`;
};

/** Creates tasks (up to the cluster's capacity) and starts their lifecycles. */
export const launchTasks = (ctx: EcsContext, req: LaunchRequest): LaunchResult => {
  const { cluster, taskDefinition: td } = req;
  const placement = resolvePlacement(cluster, req.launchType, req.capacityProviderStrategy);
  const fargate = placement.launchType === 'FARGATE';
  if (fargate && !td.compatibilities.includes('FARGATE')) {
    throw ecsErrors.invalid('Task definition does not support launch_type FARGATE.');
  }
  const definitions = (
    Array.isArray(td.definition.containerDefinitions) ? td.definition.containerDefinitions : []
  ).filter(isObject);
  const awsvpc = td.definition.networkMode === 'awsvpc';
  const now = ctx.clock.nowMs();
  const free = freeCapacity(ctx, cluster);
  const registered = req.service?.loadBalancers.find((l) => typeof l.targetGroupArn === 'string');
  const targetGroup =
    req.targetGroupArn ??
    (typeof registered?.targetGroupArn === 'string' ? registered.targetGroupArn : undefined);
  const tasks: TaskRecord[] = [];
  const failures: LaunchFailure[] = [];
  for (let i = 0; i < req.count; i += 1) {
    if (i >= free) {
      failures.push(placementFailure(cluster, fargate));
      continue;
    }
    const id = randomHex(32);
    const arn = taskArn(ctx, cluster.name, id);
    const network = awsvpc ? eniAttachment(ctx, req.networkConfiguration) : undefined;
    const overrides = overridesView(definitions, req.overrides);
    const group = req.group ?? `family:${td.family}`;
    const behavior = ctx.behaviors.resolve({
      taskArn: arn,
      taskDefinitionArn: td.arn,
      family: td.family,
      group,
      overrides,
      ...(req.startedBy === undefined ? {} : { startedBy: req.startedBy }),
    });
    const task: TaskRecord = {
      arn,
      id,
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      taskDefinitionArn: td.arn,
      family: td.family,
      group,
      launchType: placement.launchType,
      cpu: String(req.overrides?.cpu ?? td.definition.cpu ?? sumOf(definitions, 'cpu')),
      memory: String(
        req.overrides?.memory ??
          td.definition.memory ??
          (sumOf(definitions, 'memory') || sumOf(definitions, 'memoryReservation')),
      ),
      overrides,
      tags: structuredClone(req.tags),
      availabilityZone: network?.az ?? `${ctx.region}${'abc'[randomInt(0, 3)]}`,
      attachments: network ? [network.attachment] : [],
      enableExecuteCommand: req.enableExecuteCommand ?? false,
      awsvpc,
      containers: containersOf(ctx, cluster, id, definitions),
      lastStatus: awsvpc ? 'PROVISIONING' : 'PENDING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      createdAt: now,
      updatedAt: now,
      version: 0,
      behavior,
      healthy: false,
      ...(req.startedBy === undefined ? {} : { startedBy: req.startedBy }),
      ...(placement.capacityProviderName === undefined
        ? {}
        : { capacityProviderName: placement.capacityProviderName }),
      ...(fargate
        ? {
            platformVersion:
              req.platformVersion && req.platformVersion !== 'LATEST'
                ? req.platformVersion
                : '1.4.0',
            platformFamily: 'Linux',
          }
        : {}),
      ...(placement.launchType === 'EC2'
        ? { containerInstanceArn: cluster.containerInstanceArn }
        : {}),
      ...(awsvpc ? {} : { connectivity: 'CONNECTED' as const, connectivityAt: now }),
      ...(req.service === undefined ? {} : { serviceArn: req.service.arn }),
      ...(req.deploymentId === undefined ? {} : { deploymentId: req.deploymentId }),
      ...(targetGroup === undefined ? {} : { targetGroupArn: targetGroup }),
    };
    ctx.state.tasks.set(arn, task);
    tasks.push(task);
  }
  for (const task of tasks)
    startTaskLifecycle(ctx, task, () => task.targetGroupArn ?? targetGroupArnFor(ctx, req.service));
  return { tasks, failures };
};
