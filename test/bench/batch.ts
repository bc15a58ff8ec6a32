import { startLocalStack } from '#apps/local/lambda/local-stack.ts';

const TASKS = 1000;
const FLOOR_CALLS = Math.ceil(TASKS / 10);
const MAX_CALLS = 110;
// Fargate's documented RunTask limits: 20 calls/s, and a task-launch bucket of 100 refilling 20/s.
const FLOOR_SECONDS = (TASKS - 100) / 20;
const SCHEDULED = new Date('2026-11-21T10:00:00Z');

/**
 * A 1,000-task run on the embedded endpoint, under Fargate's RunTask rate limits (real-time token
 * buckets) with injected trouble: the schedule's invocation delivered twice, three RunTask
 * responses lost after the tasks were started (the SDK retries with the same client token), three
 * throttling errors, and the invocation redelivered once the launch is done. Prints the RunTask
 * calls (floor 100), the wall time against the limits' floor, and duplicate tasks.
 */
const batchBench = async (): Promise<string[]> => {
  const stack = await startLocalStack({
    now: new Date(SCHEDULED.getTime() - 30_000),
    config: {
      batchJobs: {
        jobs: {
          bench: {
            schedule: 'cron(0 10 * * ? *)',
            cluster: 'batch',
            taskDefinition: 'report',
            count: TASKS,
            launchType: 'FARGATE',
            network: { subnets: ['subnet-0a1b2c3d'] },
          },
        },
      },
    },
  });
  try {
    const { local } = stack;
    local.ecs.createCluster('batch');
    local.ecs.registerTaskDefinition({
      family: 'report',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:1.36' }],
    });
    local.faults.fargateRunTaskLimits();
    local.faults.inject({
      service: 'ecs',
      operation: 'RunTask',
      error: 'ServerException',
      afterOperation: true,
      times: 3,
    });
    local.faults.inject({
      service: 'ecs',
      operation: 'RunTask',
      error: 'ThrottlingException',
      times: 3,
    });
    local.scheduler.duplicate('bench');
    const started = performance.now();
    // The schedule fires (twice); the clock waits for the invocations it started.
    await local.clock.advance(30_000);
    await stack.settle();
    const seconds = (performance.now() - started) / 1000;
    const afterLaunch = local.calls.count('ecs', 'RunTask');
    await stack.lambda.invokeAsync('batch-jobs', local.scheduler.payload('bench', SCHEDULED));
    await stack.settle();
    const calls = local.calls.list('ecs', 'RunTask');
    const throttled = calls.filter((c) => c.errorCode === 'ThrottlingException').length;
    const lost = calls.filter((c) => c.errorCode === 'ServerException').length;
    const tasks = local.ecs.tasks({
      startedBy: 'harbormaster/local/bench/20261121T100000Z',
    }).length;
    const duplicates = Math.max(0, tasks - TASKS);
    const verdict = (ok: boolean) => (ok ? '  met' : '  MISSED');
    return [
      `A ${TASKS}-task run under Fargate's RunTask limits, the invocation delivered twice then redelivered,`,
      '3 responses lost after launching and 3 throttling errors injected',
      `Tasks launched                      ${String(tasks).padStart(6)} (expected ${TASKS})`,
      `Duplicate tasks                     ${String(duplicates).padStart(6)}   target 0${verdict(duplicates === 0 && tasks === TASKS)}`,
      `RunTask calls                       ${String(calls.length).padStart(6)}   floor ${FLOOR_CALLS}, target <= ${MAX_CALLS}${verdict(calls.length <= MAX_CALLS)}`,
      `  of which throttled / lost         ${`${throttled} / ${lost}`.padStart(6)}`,
      `  made by the redelivery            ${String(calls.length - afterLaunch).padStart(6)}`,
      `Launch wall time                    ${seconds.toFixed(1).padStart(6)} s (the limits' floor: ${FLOOR_SECONDS} s; Lambda allows 900 s)`,
    ];
  } finally {
    await stack.close();
  }
};

export { batchBench };
