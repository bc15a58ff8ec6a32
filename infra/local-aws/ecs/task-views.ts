import { compact, type JsonObject } from '../core/input.ts';
import { epochSeconds, isoTrimmed } from '../core/time-format.ts';
import type { ContainerRecord, Tag, TaskRecord } from './ecs-types.ts';

type TimeFormat = (ms: number) => string | number;

const at = (format: TimeFormat, ms: number | undefined): string | number | undefined =>
  ms === undefined ? undefined : format(ms);

/** ECS tags on the wire. */
export const tagsView = (tags: Tag[]): JsonObject[] =>
  tags.map((t) => ({ key: t.key, value: t.value }));

const networkInterfaces = (task: TaskRecord): JsonObject[] | undefined => {
  const eni = task.attachments[0];
  if (eni === undefined || eni.status === 'PRECREATED') return undefined;
  const ip = eni.details.find((d) => d.name === 'privateIPv4Address')?.value;
  return [{ attachmentId: eni.id, privateIpv4Address: ip }];
};

const managedAgents = (task: TaskRecord, container: ContainerRecord): JsonObject[] | undefined =>
  task.enableExecuteCommand
    ? [
        {
          name: 'ExecuteCommandAgent',
          status:
            container.lastStatus === 'STOPPED'
              ? 'STOPPED'
              : container.lastStatus === 'RUNNING'
                ? 'RUNNING'
                : 'PENDING',
        },
      ]
    : undefined;

const pulled = (task: TaskRecord): boolean => task.pullStoppedAt !== undefined;

// Key order follows the real events (arkime sample): identity first, then state, then resources.
const containerEventView = (task: TaskRecord, c: ContainerRecord): JsonObject =>
  compact({
    containerArn: c.arn,
    exitCode: c.exitCode,
    lastStatus: c.lastStatus,
    name: c.name,
    image: c.image,
    imageDigest: pulled(task) ? c.imageDigest : undefined,
    runtimeId: c.runtimeId,
    taskArn: task.arn,
    networkInterfaces: networkInterfaces(task),
    cpu: c.cpu,
    memory: c.memory,
    reason: c.reason,
    managedAgents: managedAgents(task, c),
  });

const containerApiView = (task: TaskRecord, c: ContainerRecord): JsonObject =>
  compact({
    containerArn: c.arn,
    taskArn: task.arn,
    name: c.name,
    image: c.image,
    imageDigest: pulled(task) ? c.imageDigest : undefined,
    runtimeId: c.runtimeId,
    lastStatus: c.lastStatus,
    exitCode: c.exitCode,
    reason: c.reason,
    networkBindings: [],
    networkInterfaces: networkInterfaces(task) ?? [],
    healthStatus: c.healthStatus,
    managedAgents: managedAgents(task, c),
    cpu: c.cpu,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
  });

const commonFields = (task: TaskRecord, format: TimeFormat): JsonObject =>
  compact({
    attachments: task.attachments.length > 0 ? structuredClone(task.attachments) : undefined,
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    capacityProviderName: task.capacityProviderName,
    clusterArn: task.clusterArn,
    connectivity: task.connectivity,
    connectivityAt: at(format, task.connectivityAt),
    containerInstanceArn: task.containerInstanceArn,
    cpu: task.cpu,
    createdAt: format(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: task.enableExecuteCommand,
    ephemeralStorage: task.launchType === 'FARGATE' ? { sizeInGiB: 20 } : undefined,
    executionStoppedAt: at(format, task.executionStoppedAt),
    group: task.group,
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: task.memory,
    overrides: structuredClone(task.overrides),
    platformVersion: task.platformVersion,
    pullStartedAt: at(format, task.pullStartedAt),
    pullStoppedAt: at(format, task.pullStoppedAt),
    startedAt: at(format, task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: at(format, task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: at(format, task.stoppingAt),
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinitionArn,
    updatedAt: format(task.updatedAt),
    version: task.version,
  });

/** The task as DescribeTasks/RunTask return it (epoch-second timestamps). */
export const taskApiView = (task: TaskRecord, includeTags: boolean): JsonObject =>
  compact({
    ...commonFields(task, epochSeconds),
    containers: task.containers.map((c) => containerApiView(task, c)),
    healthStatus: task.healthStatus,
    platformFamily: task.platformFamily,
    tags: includeTags ? tagsView(task.tags) : undefined,
  });

/** The `detail` of an "ECS Task State Change" event (ISO timestamps, keys sorted like the docs). */
export const taskEventDetail = (task: TaskRecord): JsonObject => {
  const fields: JsonObject = {
    ...commonFields(task, isoTrimmed),
    containers: task.containers.map((c) => containerEventView(task, c)),
  };
  const sorted: JsonObject = {};
  for (const key of Object.keys(fields).sort()) sorted[key] = fields[key];
  return sorted;
};
