import { compact, isObject, type JsonObject, readInput } from '../core/input.ts';
import {
  type EcsContext,
  ecsErrors,
  requireCluster,
  requireLaunchableTaskDefinition,
  serviceArn,
  serviceNameOf,
  taskIdOf,
} from './ecs-context.ts';
import type { ClusterRecord, Tag, TaskDefinitionRecord, TaskRecord } from './ecs-types.ts';
import { page } from './paging.ts';
import { mergeTags, parseTags } from './tag-operations.ts';
import { launchTasks } from './task-launch.ts';
import { requestStop } from './task-lifecycle.ts';
import { taskApiView } from './task-views.ts';

const STARTED_BY = /^[A-Za-z0-9/_-]{1,128}$/;
const CLIENT_TOKEN = /^[\x21-\x7e]{1,64}$/;

/** Stable JSON (sorted keys) used to compare idempotent requests. */
export const fingerprint = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/** Forgets STOPPED tasks older than the retention window (ECS keeps them for about an hour). */
export const purgeExpiredTasks = (ctx: EcsContext): void => {
  const cutoff = ctx.clock.nowMs() - ctx.timing.stoppedRetentionMs;
  for (const [arn, task] of ctx.state.tasks) {
    if (task.lastStatus === 'STOPPED' && (task.stoppedAt ?? 0) <= cutoff)
      ctx.state.tasks.delete(arn);
  }
};

/** Validates a task's network configuration against its task definition's network mode. */
export const checkNetwork = (
  td: TaskDefinitionRecord,
  network: JsonObject | undefined,
  fargate: boolean,
): void => {
  const awsvpc = td.definition.networkMode === 'awsvpc';
  const vpc = isObject(network?.awsvpcConfiguration) ? network.awsvpcConfiguration : undefined;
  if (awsvpc && vpc === undefined) {
    throw ecsErrors.invalid(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  if (!awsvpc && network !== undefined) {
    throw ecsErrors.invalid(
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
  if (vpc !== undefined && fargate && (!Array.isArray(vpc.subnets) || vpc.subnets.length === 0)) {
    throw ecsErrors.invalid('subnets can not be empty.');
  }
};

const runTaskTags = (
  read: ReturnType<typeof readInput>,
  cluster: ClusterRecord,
  td: TaskDefinitionRecord,
): Tag[] => {
  const propagate = read.optStr('propagateTags');
  if (propagate === 'SERVICE')
    throw ecsErrors.invalid('The propagateTags value SERVICE is not supported for RunTask.');
  const tags: Tag[] = propagate === 'TASK_DEFINITION' ? structuredClone(td.tags) : [];
  mergeTags(tags, parseTags(read.optArr('tags')));
  if (read.optBool('enableECSManagedTags') === true)
    tags.push({ key: 'aws:ecs:clusterName', value: cluster.name });
  return tags;
};

/** RunTask, with clientToken idempotency and partial placement failures. */
export const runTask = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const token = read.optStr('clientToken');
  const { clientToken: _token, ...params } = input;
  const print = fingerprint(params);
  if (token !== undefined) {
    if (!CLIENT_TOKEN.test(token))
      throw ecsErrors.invalid('clientToken must be 1 to 64 printable ASCII characters.');
    const previous = ctx.state.runTaskTokens.get(token);
    if (previous && previous.fingerprint !== print) {
      throw ecsErrors.conflict(
        'The clientToken is already used by a different RunTask request. Use a unique clientToken, or retry with the original parameters.',
        previous.taskArns,
      );
    }
    if (previous) {
      const tasks = previous.taskArns
        .map((arn) => ctx.state.tasks.get(arn))
        .filter((t) => t !== undefined);
      return { tasks: tasks.map((t) => taskApiView(t, false)), failures: previous.failures };
    }
  }
  const count = read.optNum('count') ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10)
    throw ecsErrors.invalid('count must be between 1 and 10.');
  const launchType = read.optStr('launchType');
  const strategy = read.optArr('capacityProviderStrategy')?.filter(isObject);
  if (launchType !== undefined && strategy !== undefined && strategy.length > 0) {
    throw ecsErrors.invalid(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  const startedBy = read.optStr('startedBy');
  if (startedBy !== undefined && !STARTED_BY.test(startedBy)) {
    throw ecsErrors.invalid(
      'startedBy may contain up to 128 letters, numbers, hyphens, forward slashes and underscores.',
    );
  }
  const overrides = read.optObj('overrides');
  if (overrides !== undefined && JSON.stringify(overrides).length > 8192) {
    throw ecsErrors.invalid('Container Overrides length must be at most 8192');
  }
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const td = requireLaunchableTaskDefinition(ctx, read.str('taskDefinition'));
  const network = read.optObj('networkConfiguration');
  const fargate =
    launchType === 'FARGATE' ||
    (strategy ?? cluster.defaultCapacityProviderStrategy).some((s) =>
      String(s.capacityProvider).startsWith('FARGATE'),
    );
  checkNetwork(td, network, fargate);
  const result = launchTasks(ctx, {
    cluster,
    taskDefinition: td,
    count,
    tags: runTaskTags(read, cluster, td),
    ...compact({
      launchType,
      capacityProviderStrategy: strategy,
      networkConfiguration: network,
      platformVersion: read.optStr('platformVersion'),
      group: read.optStr('group'),
      startedBy,
      overrides,
      enableExecuteCommand: read.optBool('enableExecuteCommand'),
    }),
  });
  const failures = result.failures.map((f) => compact({ ...f }));
  if (token !== undefined) {
    ctx.state.runTaskTokens.set(token, {
      fingerprint: print,
      taskArns: result.tasks.map((t) => t.arn),
      failures,
    });
  }
  return { tasks: result.tasks.map((t) => taskApiView(t, false)), failures };
};

/** StartTask: places one EC2 task per container instance named (the simulated instance). */
export const startTask = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const instances = read.optStrArr('containerInstances') ?? [];
  if (instances.length === 0 || instances.length > 10) {
    throw ecsErrors.invalid(
      'containerInstances must contain between 1 and 10 container instances.',
    );
  }
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const td = requireLaunchableTaskDefinition(ctx, read.str('taskDefinition'));
  const network = read.optObj('networkConfiguration');
  checkNetwork(td, network, false);
  const result = launchTasks(ctx, {
    cluster,
    taskDefinition: td,
    count: instances.length,
    launchType: 'EC2',
    tags: runTaskTags(read, cluster, td),
    ...compact({
      networkConfiguration: network,
      group: read.optStr('group'),
      startedBy: read.optStr('startedBy'),
      overrides: read.optObj('overrides'),
      enableExecuteCommand: read.optBool('enableExecuteCommand'),
    }),
  });
  return {
    tasks: result.tasks.map((t) => taskApiView(t, false)),
    failures: result.failures.map((f) => compact({ ...f })),
  };
};

const findTask = (ctx: EcsContext, cluster: ClusterRecord, ref: string): TaskRecord | undefined => {
  const id = taskIdOf(ref);
  for (const task of ctx.state.tasks.values())
    if (task.id === id && task.clusterArn === cluster.arn) return task;
  return undefined;
};

/** StopTask (stopping an already stopped task returns it unchanged). */
export const stopTask = (ctx: EcsContext, input: JsonObject): JsonObject => {
  purgeExpiredTasks(ctx);
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const task = findTask(ctx, cluster, read.str('task'));
  if (task === undefined) throw ecsErrors.invalid('The referenced task was not found.');
  const exitCode = task.behavior.kind === 'healthy' ? (task.behavior.stopExitCode ?? 137) : 137;
  requestStop(ctx, task, {
    stopCode: 'UserInitiated',
    reason: read.optStr('reason') ?? 'Task stopped by user',
    cause: 'user',
    exitCode,
  });
  return { task: taskApiView(task, false) };
};

/** ListTasks, with the real API's filter rules. */
export const listTasks = (ctx: EcsContext, input: JsonObject): JsonObject => {
  purgeExpiredTasks(ctx);
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const startedBy = read.optStr('startedBy');
  const family = read.optStr('family');
  const serviceName = read.optStr('serviceName');
  const launchType = read.optStr('launchType');
  const containerInstance = read.optStr('containerInstance');
  if (
    startedBy !== undefined &&
    [family, serviceName, launchType, containerInstance].some((f) => f !== undefined)
  ) {
    throw ecsErrors.invalid(
      'startedBy cannot be combined with family, serviceName, containerInstance or launchType.',
    );
  }
  const desired = read.optStr('desiredStatus') ?? 'RUNNING';
  let svcArn: string | undefined;
  if (serviceName !== undefined) {
    svcArn = serviceArn(ctx, cluster.name, serviceNameOf(serviceName));
    const service = ctx.state.services.get(`${cluster.name}/${serviceNameOf(serviceName)}`);
    if (service === undefined || service.status === 'INACTIVE') throw ecsErrors.serviceNotFound();
  }
  const arns = [...ctx.state.tasks.values()]
    .filter((t) => t.clusterArn === cluster.arn && t.desiredStatus === desired)
    .filter((t) => startedBy === undefined || t.startedBy === startedBy)
    .filter((t) => family === undefined || t.family === family)
    .filter((t) => svcArn === undefined || t.serviceArn === svcArn)
    .filter((t) => launchType === undefined || t.launchType === launchType)
    .filter(
      (t) =>
        containerInstance === undefined ||
        (t.containerInstanceArn ?? '').endsWith(taskIdOf(containerInstance)),
    )
    .map((t) => t.arn);
  const { items, nextToken } = page(arns, read.optNum('maxResults'), read.optStr('nextToken'), 100);
  return compact({ taskArns: items, nextToken });
};

/** DescribeTasks (unknown tasks are MISSING failures). */
export const describeTasks = (ctx: EcsContext, input: JsonObject): JsonObject => {
  purgeExpiredTasks(ctx);
  const read = readInput(input, ecsErrors.invalid);
  const cluster = requireCluster(ctx, read.optStr('cluster'));
  const refs = read.optStrArr('tasks') ?? [];
  if (refs.length === 0) throw ecsErrors.invalid('Tasks cannot be empty.');
  if (refs.length > 100) throw ecsErrors.invalid('Tasks cannot have more than 100 elements');
  const withTags = (read.optStrArr('include') ?? []).includes('TAGS');
  const tasks: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const task = findTask(ctx, cluster, ref);
    if (task) tasks.push(taskApiView(task, withTags));
    else
      failures.push({
        arn: ref.startsWith('arn:')
          ? ref
          : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${cluster.name}/${ref}`,
        reason: 'MISSING',
      });
  }
  return { tasks, failures };
};
