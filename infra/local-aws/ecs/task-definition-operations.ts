import { compact, isObject, type JsonObject, readInput } from '../core/input.ts';
import { epochSeconds } from '../core/time-format.ts';
import type { CallContext } from '../server/service-types.ts';
import {
  type EcsContext,
  ecsErrors,
  findTaskDefinition,
  taskDefinitionArn,
} from './ecs-context.ts';
import type { TaskDefinitionRecord } from './ecs-types.ts';
import { page } from './paging.ts';
import { parseTags } from './tag-operations.ts';
import { tagsView } from './task-views.ts';

const CONTAINER_DEFAULTS: JsonObject = {
  cpu: 0,
  portMappings: [],
  essential: true,
  environment: [],
  mountPoints: [],
  volumesFrom: [],
  systemControls: [],
};

const normaliseContainer = (raw: JsonObject, awsvpc: boolean): JsonObject => {
  const container = { ...CONTAINER_DEFAULTS, ...raw };
  const mappings = Array.isArray(container.portMappings)
    ? container.portMappings.filter(isObject)
    : [];
  container.portMappings = mappings.map((m) =>
    compact({
      ...m,
      hostPort: m.hostPort ?? (awsvpc ? m.containerPort : undefined),
      protocol: m.protocol ?? 'tcp',
    }),
  );
  return container;
};

const requiresAttributesOf = (def: JsonObject, containers: JsonObject[]): { name: string }[] => {
  const names = new Set<string>();
  for (const c of containers) {
    const log = isObject(c.logConfiguration) ? c.logConfiguration : undefined;
    if (log?.logDriver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
      if (def.executionRoleArn !== undefined) names.add('ecs.capability.execution-role-awslogs');
    }
    if (/\.dkr\.ecr\./.test(String(c.image))) {
      names.add('com.amazonaws.ecs.capability.ecr-auth');
      if (def.executionRoleArn !== undefined) names.add('ecs.capability.execution-role-ecr-pull');
    }
    if (isObject(c.healthCheck)) {
      names.add('ecs.capability.container-health-check');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.24');
    }
    for (const secret of Array.isArray(c.secrets) ? c.secrets.filter(isObject) : []) {
      names.add(
        String(secret.valueFrom).includes(':secretsmanager:')
          ? 'ecs.capability.secrets.asm.environment-variables'
          : 'ecs.capability.secrets.ssm.environment-variables',
      );
    }
  }
  if (def.taskRoleArn !== undefined) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (def.networkMode === 'awsvpc') {
    names.add('ecs.capability.task-eni');
    names.add('com.amazonaws.ecs.capability.docker-remote-api.1.18');
  }
  return [...names].map((name) => ({ name }));
};

const validate = (family: string, def: JsonObject, containers: JsonObject[]): void => {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw ecsErrors.client(
      'Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  if (containers.length === 0) throw ecsErrors.client('Container list cannot be empty.');
  const seen = new Set<string>();
  for (const c of containers) {
    if (typeof c.name !== 'string' || c.name === '')
      throw ecsErrors.client('Container.name should not be null or empty.');
    if (typeof c.image !== 'string' || c.image === '')
      throw ecsErrors.client('Container.image should not be null or empty.');
    if (seen.has(c.name)) throw ecsErrors.client(`Duplicate container name: ${c.name}`);
    seen.add(c.name);
    if (def.memory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      throw ecsErrors.client(
        `Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
  }
  if (!containers.some((c) => c.essential !== false)) {
    throw ecsErrors.client('Task definition must have at least one essential container.');
  }
  const compat = Array.isArray(def.requiresCompatibilities) ? def.requiresCompatibilities : [];
  if (compat.includes('FARGATE')) {
    if (def.networkMode !== 'awsvpc')
      throw ecsErrors.client('Fargate only supports network mode ‘awsvpc’.');
    if (def.cpu === undefined)
      throw ecsErrors.client("Fargate requires that 'cpu' be defined at the task level.");
    if (def.memory === undefined)
      throw ecsErrors.client("Fargate requires that 'memory' be defined at the task level.");
  }
};

/** The task definition as DescribeTaskDefinition returns it. */
export const taskDefinitionView = (td: TaskDefinitionRecord): JsonObject =>
  compact({
    taskDefinitionArn: td.arn,
    ...structuredClone(td.definition),
    revision: td.revision,
    status: td.status,
    requiresAttributes: td.requiresAttributes,
    compatibilities: td.compatibilities,
    registeredAt: epochSeconds(td.registeredAt),
    deregisteredAt: td.deregisteredAt === undefined ? undefined : epochSeconds(td.deregisteredAt),
    registeredBy: td.registeredBy,
  });

/** Registers a new revision of a family. */
export const registerTaskDefinition = (
  ctx: EcsContext,
  input: JsonObject,
  call: CallContext,
): JsonObject => {
  const read = readInput(input, ecsErrors.client);
  const family = read.str('family');
  const { tags: rawTags, family: _family, ...rest } = input;
  const containers = (read.optArr('containerDefinitions') ?? []).filter(isObject);
  const def: JsonObject = { ...rest, family };
  validate(family, def, containers);
  const awsvpc = def.networkMode === 'awsvpc';
  def.networkMode ??= 'bridge';
  def.containerDefinitions = containers.map((c) => normaliseContainer(c, awsvpc));
  def.volumes ??= [];
  def.placementConstraints ??= [];
  for (const key of ['cpu', 'memory'])
    if (typeof def[key] === 'number') def[key] = String(def[key]);
  const privileged = containers.some((c) => c.privileged === true);
  const fargateOk = awsvpc && def.cpu !== undefined && def.memory !== undefined && !privileged;
  const revisions = ctx.state.taskDefinitions.get(family) ?? [];
  const revision = revisions.length + 1;
  const record: TaskDefinitionRecord = {
    arn: taskDefinitionArn(ctx, family, revision),
    family,
    revision,
    status: 'ACTIVE',
    definition: def,
    compatibilities: awsvpc ? (fargateOk ? ['EC2', 'FARGATE'] : ['EC2']) : ['EXTERNAL', 'EC2'],
    requiresAttributes: requiresAttributesOf(def, containers),
    registeredAt: ctx.clock.nowMs(),
    registeredBy: call.principal.arn,
    tags: parseTags(rawTags),
  };
  revisions.push(record);
  ctx.state.taskDefinitions.set(family, revisions);
  return { taskDefinition: taskDefinitionView(record), tags: tagsView(record.tags) };
};

/** DescribeTaskDefinition. */
export const describeTaskDefinition = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.client);
  const td = findTaskDefinition(ctx, read.str('taskDefinition'));
  if (td === undefined) throw ecsErrors.client('Unable to describe task definition.');
  const withTags = (read.optStrArr('include') ?? []).includes('TAGS');
  return compact({
    taskDefinition: taskDefinitionView(td),
    tags: withTags ? tagsView(td.tags) : undefined,
  });
};

/** DeregisterTaskDefinition (repeat-safe). */
export const deregisterTaskDefinition = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const ref = readInput(input, ecsErrors.client).str('taskDefinition');
  if (!/:\d+$/.test(ref)) throw ecsErrors.client('Revision is missing.');
  const td = findTaskDefinition(ctx, ref);
  if (td === undefined) throw ecsErrors.client('The specified task definition does not exist.');
  if (td.status === 'ACTIVE') {
    td.status = 'INACTIVE';
    td.deregisteredAt = ctx.clock.nowMs();
  }
  return { taskDefinition: taskDefinitionView(td) };
};

/** ListTaskDefinitions (`familyPrefix` is the full family name, as the API documents). */
export const listTaskDefinitions = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const family = read.optStr('familyPrefix');
  const status = read.optStr('status') ?? 'ACTIVE';
  const sort = read.optStr('sort') ?? 'ASC';
  const all: TaskDefinitionRecord[] = [];
  const families = [...ctx.state.taskDefinitions.keys()].sort();
  for (const name of families) {
    if (family !== undefined && name !== family) continue;
    all.push(...(ctx.state.taskDefinitions.get(name) ?? []).filter((r) => r.status === status));
  }
  if (sort === 'DESC') all.reverse();
  const { items, nextToken } = page(
    all.map((r) => r.arn),
    read.optNum('maxResults'),
    read.optStr('nextToken'),
    100,
  );
  return compact({ taskDefinitionArns: items, nextToken });
};

/** ListTaskDefinitionFamilies (`familyPrefix` is a real prefix here). */
export const listTaskDefinitionFamilies = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const prefix = read.optStr('familyPrefix') ?? '';
  const status = read.optStr('status') ?? 'ALL';
  const families = [...ctx.state.taskDefinitions.entries()]
    .filter(([name]) => name.startsWith(prefix))
    .filter(([, revisions]) => {
      const active = revisions.some((r) => r.status === 'ACTIVE');
      return status === 'ALL' || (status === 'ACTIVE' ? active : !active);
    })
    .map(([name]) => name)
    .sort();
  const { items, nextToken } = page(
    families,
    read.optNum('maxResults'),
    read.optStr('nextToken'),
    100,
  );
  return compact({ families: items, nextToken });
};
