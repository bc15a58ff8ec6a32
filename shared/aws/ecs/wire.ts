import { ECSClient } from '@aws-sdk/client-ecs';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import type { Runtime } from '#kernel/runtime.ts';
import { type EcsOperationGroup, ecsPortOf } from './operations.ts';
import type { EcsPort } from './port.ts';
import { createRunTaskPacer, type RunTaskLimits } from './run-task-pacer.ts';
import {
  createServiceDeploymentsAdapter,
  type ServiceDeploymentsPort,
} from './service-deployments.ts';

/** The ECS client, created once per runtime. */
const ecsClient = (runtime: Runtime<KernelConfig>): ECSClient =>
  runtime.once('ecs-client', () => new ECSClient(clientConfig(runtime, 'ECS')));

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
      runtime.once(
        'ecs-run-task-client',
        () => new ECSClient({ ...clientConfig(runtime, 'ECS'), maxAttempts: 1 }),
      ),
  });

/** The service deployment APIs (blue/green, linear, canary) over the function's ECS client. */
const wireServiceDeployments = (runtime: Runtime<KernelConfig>): ServiceDeploymentsPort =>
  createServiceDeploymentsAdapter(ecsClient(runtime));

export { ecsClient, wireEcs, wireServiceDeployments };
