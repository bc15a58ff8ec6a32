import {
  ClientException,
  ConflictException,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { ServiceState, TaskDefinitionState, TaskState } from '../core/ecs-state.ts';
import { classifyFailure } from '../core/failures.ts';
import type {
  DeregisterOutcome,
  EcsPort,
  RunTaskRequest,
  RunTaskResult,
  ServiceUpdate,
  StopTaskOutcome,
  TaskListFilter,
  TaskListOptions,
} from '../core/ports.ts';
import type { ServiceDocument } from '../policy/documents.ts';
import { toServiceState, toTaskDetail } from './ecs-mapping.ts';
import type { RunTaskPacer } from './run-task-pacer.ts';
import { toServiceDocument } from './service-document.ts';

const DESCRIBE_TASKS_LIMIT = 100;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

/** RunTask's input for a request: the same request always gives the same input (idempotency). */
const runTaskInput = (request: RunTaskRequest): RunTaskCommandInput => {
  const { spec } = request;
  return {
    cluster: spec.cluster,
    taskDefinition: spec.taskDefinition,
    count: request.count,
    startedBy: request.startedBy,
    clientToken: request.clientToken,
    ...(spec.launchType ? { launchType: spec.launchType } : {}),
    ...(spec.capacityProviderStrategy
      ? { capacityProviderStrategy: spec.capacityProviderStrategy }
      : {}),
    ...(spec.platformVersion ? { platformVersion: spec.platformVersion } : {}),
    ...(spec.network ? { networkConfiguration: { awsvpcConfiguration: spec.network } } : {}),
    ...(spec.containerOverrides
      ? { overrides: { containerOverrides: spec.containerOverrides } }
      : {}),
    ...(spec.tags.length > 0 ? { tags: spec.tags } : {}),
    ...(spec.propagateTags ? { propagateTags: spec.propagateTags } : {}),
  };
};

// Throttling, 5xx and timeouts are retried (same client token) for this long in total.
const UNAVAILABLE_BUDGET_MS = 60_000;
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
]);

const errorOf = (error: unknown) => {
  const failure = classifyFailure(error);
  return { failure, error: { name: failure.name, message: failure.message.slice(0, 500) } };
};

interface EcsAdapterOptions {
  pacer?: RunTaskPacer;
  /** Builds (on first use) a client that does not retry by itself, so every RunTask attempt is paced. */
  runTaskClient?: () => ECSClient;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** EcsPort over the ECS API. */
const createEcsAdapter = (client: ECSClient, options: EcsAdapterOptions = {}): EcsPort => ({
  describeService: async (cluster, service): Promise<ServiceState | undefined> => {
    const output = await client.send(
      new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }),
    );
    const found = output.services?.[0];
    return found ? toServiceState(found) : undefined;
  },

  describeTasks: async (cluster, taskArns): Promise<TaskState[]> => {
    const described: TaskState[] = [];
    for (const batch of chunks(taskArns, DESCRIBE_TASKS_LIMIT)) {
      const output = await client.send(
        new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] }),
      );
      described.push(...(output.tasks ?? []).map(toTaskDetail));
    }
    return described;
  },

  listTasks: async (
    cluster,
    filter: TaskListFilter,
    options: TaskListOptions = {},
  ): Promise<string[]> => {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const maxResults = Math.min(100, limit - arns.length);
      const output = await client.send(
        new ListTasksCommand({ cluster, ...filter, maxResults, nextToken }),
      );
      arns.push(...(output.taskArns ?? []));
      nextToken = output.nextToken;
    } while (nextToken && arns.length < limit);
    return arns;
  },

  stopTask: async (cluster, taskArn, reason): Promise<StopTaskOutcome> => {
    try {
      const output = await client.send(
        new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) }),
      );
      return output.task?.lastStatus === 'STOPPED' ? 'already-stopped' : 'stopping';
    } catch (error) {
      // Stopping a task that ECS no longer knows has the effect asked for: it is not running.
      if (error instanceof InvalidParameterException && /not found/i.test(error.message))
        return 'not-found';
      throw error;
    }
  },

  describeTaskDefinition: async (taskDefinition): Promise<TaskDefinitionState | undefined> => {
    try {
      const output = await client.send(
        new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }),
      );
      if (!output.taskDefinition) return undefined;
      const tags = Object.fromEntries((output.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
      return { definition: output.taskDefinition, tags };
    } catch (error) {
      if (
        error instanceof ClientException &&
        /unable to describe task definition/i.test(error.message)
      ) {
        return undefined;
      }
      throw error;
    }
  },

  describeServiceConfiguration: async (cluster, service): Promise<ServiceDocument | undefined> => {
    const output = await client.send(
      new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }),
    );
    const found = output.services?.[0];
    return found ? toServiceDocument(found) : undefined;
  },

  tagResource: async (resourceArn, tags): Promise<void> => {
    await client.send(
      new TagResourceCommand({
        resourceArn,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    );
  },

  deregisterTaskDefinition: async (taskDefinition): Promise<DeregisterOutcome> => {
    try {
      const output = await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition }));
      return output.taskDefinition?.status === 'INACTIVE' ? 'deregistered' : 'already-inactive';
    } catch (error) {
      // Deregistering is safe to repeat: a revision that is gone or inactive is what was asked for.
      if (error instanceof ClientException && /inactive/i.test(error.message))
        return 'already-inactive';
      if (error instanceof ClientException && /does not exist|unable to/i.test(error.message))
        return 'not-found';
      throw error;
    }
  },

  updateServiceTaskDefinition: async (cluster, service, taskDefinition): Promise<ServiceUpdate> => {
    const output = await client.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition }),
    );
    const primary = output.service?.deployments?.find((d) => d.status === 'PRIMARY');
    return {
      deploymentId: primary?.id,
      taskDefinition: output.service?.taskDefinition ?? taskDefinition,
    };
  },

  runTask: async (request): Promise<RunTaskResult> => {
    const input = runTaskInput(request);
    const sleep = options.sleep ?? defaultSleep;
    const runTaskClient = options.runTaskClient?.() ?? client;
    let waited = 0;
    for (let attempt = 0; ; attempt += 1) {
      // Every attempt is paced: a retry takes tokens from ECS's buckets like any call.
      await options.pacer?.acquire(request.count);
      try {
        const output = await runTaskClient.send(new RunTaskCommand(input));
        return {
          outcome: 'launched',
          taskArns: (output.tasks ?? []).map((t) => t.taskArn ?? '').filter(Boolean),
          failures: (output.failures ?? []).map((f) => ({
            reason: f.reason ?? 'UNKNOWN',
            ...(f.detail ? { detail: f.detail } : {}),
          })),
        };
      } catch (caught) {
        if (caught instanceof ConflictException)
          return { outcome: 'conflict', taskArns: caught.resourceIds ?? [] };
        const { failure, error } = errorOf(caught);
        if (!failure.retryable) return { outcome: 'refused', error };
        // Throttled: another caller shares the account's buckets, so ours start again empty and
        // the pacer waits for them to refill; other errors back off exponentially.
        const throttled = THROTTLING.has(failure.name) && options.pacer !== undefined;
        if (throttled) options.pacer?.backOff();
        const delay = throttled ? 0 : Math.min(250 * 2 ** attempt, 8_000);
        if (waited + delay > UNAVAILABLE_BUDGET_MS) return { outcome: 'unavailable', error };
        waited += throttled ? 1000 : delay;
        if (delay > 0) await sleep(delay);
      }
    }
  },
});

export { createEcsAdapter, type EcsAdapterOptions, runTaskInput };
