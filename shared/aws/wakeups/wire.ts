import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import type { WakeupPort } from './port.ts';
import { createSchedulerWakeups } from './scheduler-wakeups.ts';

/**
 * The function's wake-ups: the stage's schedule group, its own ARN and the role Scheduler assumes
 * (WAKEUP_GROUP, WAKEUP_TARGET_ARN, WAKEUP_ROLE_ARN, set by serverless.yml).
 */
const wireWakeups = (runtime: Runtime<KernelConfig>, fn: string): WakeupPort =>
  runtime.once('wakeups', () =>
    createSchedulerWakeups(new SchedulerClient(clientConfig(runtime, 'SCHEDULER')), {
      group: requireEnv(runtime, 'WAKEUP_GROUP'),
      fn,
      functionArn: requireEnv(runtime, 'WAKEUP_TARGET_ARN'),
      roleArn: requireEnv(runtime, 'WAKEUP_ROLE_ARN'),
    }),
  );

export { wireWakeups };
