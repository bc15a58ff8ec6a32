import { ECSClient } from '@aws-sdk/client-ecs';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { classifyFailure } from '#kernel/failures.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { dynamoDbClient } from '../dynamodb-client.ts';
import { createDynamoDbBudgetStore } from './budget-store.ts';
import { createEcsCallBudget, type EcsCallBudget } from './call-budget.ts';
import { type EcsOperationGroup, ecsPortOf } from './operations.ts';
import type { EcsPort } from './port.ts';
import { createRunTaskPacer, type RunTaskLimits } from './run-task-pacer.ts';
import {
  createServiceDeploymentsAdapter,
  type ServiceDeploymentsPort,
} from './service-deployments.ts';

/** The account-wide ECS call budget (`aws.ecsBudget`), counted in the claims table. */
const ecsCallBudget = (runtime: Runtime<KernelConfig>): EcsCallBudget =>
  runtime.once('ecs-call-budget', () =>
    createEcsCallBudget(
      runtime.config.aws.ecsBudget,
      createDynamoDbBudgetStore(dynamoDbClient(runtime), requireEnv(runtime, 'DEDUP_TABLE_NAME')),
      {
        onStoreError: (error) =>
          runtime.telemetry.log.warn('ECS call budget store failed; one call a second goes on', {
            error: classifyFailure(error).name,
          }),
      },
    ),
  );

// Reads, which may share one answer.
const READ = /^(Describe|List|Get)/;

/**
 * Every attempt of every call of an ECS client waits for the budget first: the middleware sits
 * inside the SDK's retry loop (finalizeRequest, low priority), so a retried call spends a token too.
 * A read identical to one still waiting for its token joins it instead of taking a token of its
 * own: that read goes out after both asked, so its answer is as fresh for both (a burst of events
 * about one service in one environment costs one DescribeServices per token, not one per event).
 */
const budgeted = (client: ECSClient, runtime: Runtime<KernelConfig>): ECSClient => {
  const waitingReads = new Map<string, Promise<unknown>>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const budget = ecsCallBudget(runtime);
      if (!READ.test(operation)) {
        await budget.take(operation);
        return next(args);
      }
      const key = `${operation} ${JSON.stringify(args.input)}`;
      const waiting = waitingReads.get(key) as ReturnType<typeof next> | undefined;
      if (waiting) return waiting;
      const call = (async () => {
        try {
          await budget.take(operation);
        } finally {
          waitingReads.delete(key);
        }
        return next(args);
      })();
      waitingReads.set(key, call);
      return call;
    },
    { step: 'finalizeRequest', priority: 'low', name: 'harbormasterEcsCallBudget' },
  );
  return client;
};

/** The ECS client, created once per runtime, its calls within the ECS call budget. */
const ecsClient = (runtime: Runtime<KernelConfig>): ECSClient =>
  runtime.once('ecs-client', () => budgeted(new ECSClient(clientConfig(runtime, 'ECS')), runtime));

/**
 * EcsPort over the real ECS API, with the operation groups the function uses (and its role
 * allows). RunTask goes through its own client without SDK retries: the adapter retries it (same
 * client token) through the pacer, which keeps calls under ECS's limits (`runTaskLimits`).
 */
const wireEcs = (
  runtime: Runtime<KernelConfig>,
  operations: readonly EcsOperationGroup[],
  runTaskLimits?: RunTaskLimits,
): EcsPort =>
  ecsPortOf(ecsClient(runtime), operations, {
    pacer: () => {
      if (!runTaskLimits) throw new Error('RunTask is not wired for this function');
      return runtime.once('run-task-pacer', () => createRunTaskPacer(runTaskLimits));
    },
    // Built on first use: functions that never run tasks do not pay for it at cold start.
    runTaskClient: () =>
      runtime.once('ecs-run-task-client', () =>
        budgeted(new ECSClient({ ...clientConfig(runtime, 'ECS'), maxAttempts: 1 }), runtime),
      ),
  });

/** The service deployment APIs (blue/green, linear, canary) over the function's ECS client. */
const wireServiceDeployments = (runtime: Runtime<KernelConfig>): ServiceDeploymentsPort =>
  createServiceDeploymentsAdapter(ecsClient(runtime));

export { ecsCallBudget, ecsClient, wireEcs, wireServiceDeployments };
