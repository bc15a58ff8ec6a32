import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import type { WakeupPort } from './port.ts';

/**
 * The function's wake-ups: the stage's schedule group, its own ARN and the role Scheduler assumes
 * (WAKEUP_GROUP, WAKEUP_TARGET_ARN, WAKEUP_ROLE_ARN, set by serverless.yml; checked at cold
 * start). The Scheduler client is loaded on the first wake-up: most invocations (task events)
 * set none, and its SDK would weigh on every cold start.
 */
const wireWakeups = (runtime: Runtime<KernelConfig>, fn: string): WakeupPort => {
  const target = {
    group: requireEnv(runtime, 'WAKEUP_GROUP'),
    fn,
    functionArn: requireEnv(runtime, 'WAKEUP_TARGET_ARN'),
    roleArn: requireEnv(runtime, 'WAKEUP_ROLE_ARN'),
  };
  const port = (): Promise<WakeupPort> =>
    runtime.once('wakeups', async () => {
      const [{ SchedulerClient }, { createSchedulerWakeups }] = await Promise.all([
        import('@aws-sdk/client-scheduler'),
        import('./scheduler-wakeups.ts'),
      ]);
      return createSchedulerWakeups(
        new SchedulerClient(clientConfig(runtime, 'SCHEDULER')),
        target,
      );
    });
  return {
    wakeAt: async (at, now, key) => (await port()).wakeAt(at, now, key),
    cancel: async (at, key) => (await port()).cancel(at, key),
  };
};

export { wireWakeups };
