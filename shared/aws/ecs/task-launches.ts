import { ConflictException, RunTaskCommand, type RunTaskCommandInput } from '@aws-sdk/client-ecs';
import { classifyFailure } from '#kernel/failures.ts';
import type { EcsOperations } from './operations.ts';
import type { RunTaskRequest, RunTaskResult } from './port.ts';

/** RunTask's input for a request: the same request always gives the same input (idempotency). */
const runTaskInput = (request: Omit<RunTaskRequest, 'budgetMs'>): RunTaskCommandInput => {
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

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * RunTask, paced under ECS's RunTask limits and retried with the same client token, so that a
 * retry never starts tasks twice. Tagging tasks at launch needs ecs:TagResource too.
 */
const taskLaunches: EcsOperations<'runTask'> = {
  permissions: ['ecs:RunTask', 'ecs:TagResource'],
  create: (client, options) => ({
    runTask: async (request): Promise<RunTaskResult> => {
      const input = runTaskInput(request);
      const sleep = options.sleep ?? defaultSleep;
      const runTaskClient = options.runTaskClient?.() ?? client;
      const pacer = options.pacer?.();
      let waited = 0;
      for (let attempt = 0; ; attempt += 1) {
        // Every attempt is paced: a retry takes tokens from ECS's buckets like any call.
        await pacer?.acquire(request.count);
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
          const throttled = THROTTLING.has(failure.name) && pacer !== undefined;
          if (throttled) pacer?.backOff();
          const delay = throttled ? 0 : Math.min(250 * 2 ** attempt, 8_000);
          if (waited + delay > request.budgetMs) return { outcome: 'unavailable', error };
          waited += throttled ? 1000 : delay;
          if (delay > 0) await sleep(delay);
        }
      }
    },
  }),
};

export { runTaskInput, taskLaunches };
