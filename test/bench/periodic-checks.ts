import type { LocalStack } from '#apps/local/lambda/local-stack.ts';
import { batchJob, registerBatchDefinition, startBatchStack } from '#support/batch-stack.ts';
import { startGuardStack } from '#support/guard-stack.ts';

const DAY_MINUTES = 24 * 60;
// Before wake-ups, each check ran on a rate(1 minute) schedule.
const BEFORE = DAY_MINUTES;

// Actions that only keep the check's own books (its next wake-up, its next full check, how far
// missed runs were looked for): a check that did only these found nothing to do.
const BOOKKEEPING = new Set(['wake', 'cancel-wake', 'schedule-run-check', 'advance-job-watermark']);

interface CheckDay {
  /** Invocations of the check in the simulated day: wake-ups, backstop. */
  wakeups: number;
  backstop: number;
  /** Of those, how many did something beyond their own bookkeeping. */
  acted: number;
  /** Scheduler calls the function made: CreateSchedule (created, conflict), DeleteSchedule. */
  creates: number;
  conflicts: number;
  deletes: number;
}

/** The check invocations of one function between two instants, by what invoked them. */
const checksOf = (stack: LocalStack, fn: string, from: Date): CheckDay => {
  const checks = stack.lambda.invocations.filter(
    (i) =>
      i.function === fn &&
      i.attempt === 1 &&
      i.at >= from &&
      (i.event as { 'detail-type'?: string })['detail-type'] === 'Scheduled Event',
  );
  const isWakeup = (event: unknown) =>
    ((event as { resources?: string[] }).resources?.[0] ?? '').includes('-wakeups/');
  // Batch runs start from schedules too (their own group): only the check counts here.
  const isCheck = (event: unknown) =>
    fn !== 'batch-jobs' ||
    isWakeup(event) ||
    ((event as { resources?: string[] }).resources?.[0] ?? '').endsWith('/_sweep');
  const counted = checks.filter((i) => isCheck(i.event));
  const calls = stack.local.calls.list('scheduler', undefined, fn).filter((c) => c.at >= from);
  return {
    creates: calls.filter((c) => c.operation === 'CreateSchedule' && c.status === 200).length,
    conflicts: calls.filter((c) => c.errorCode === 'ConflictException').length,
    deletes: calls.filter((c) => c.operation === 'DeleteSchedule').length,
    wakeups: counted.filter((i) => isWakeup(i.event)).length,
    backstop: counted.filter((i) => !isWakeup(i.event)).length,
    acted: counted.filter((i) => (i.result?.actions ?? []).some((a) => !BOOKKEEPING.has(a.type)))
      .length,
  };
};

/** One service deploying a healthy revision `deployments` times in a simulated day (default deadline and bake time). */
const guardDay = async (deployments: number): Promise<CheckDay> => {
  const g = await startGuardStack({ desiredCount: 2 });
  try {
    const from = g.local.clock.now();
    const gap = Math.floor(DAY_MINUTES / deployments);
    for (let i = 0; i < deployments; i += 1) {
      g.deploy(undefined, `public.ecr.aws/nginx/nginx:1.${i}`);
      await g.elapse(gap);
    }
    await g.elapse(DAY_MINUTES - gap * deployments);
    return checksOf(g.stack, 'deployment-guard', from);
  } finally {
    await g.stack.close();
  }
};

/** `jobs` daily jobs of one task (10 minutes each) at spread times, over a simulated day. */
const batchDay = async (jobs: number): Promise<CheckDay> => {
  const config = Object.fromEntries(
    Array.from({ length: jobs }, (_, i) => [
      `job-${i}`,
      batchJob({ schedule: `cron(${(i * 7) % 60} ${i % 24} * * ? *)`, count: 1 }),
    ]),
  );
  const stack = await startBatchStack(config, { now: new Date('2026-11-21T00:00:00Z') });
  try {
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', () => ({
      kind: 'exit' as const,
      afterMs: 10 * 60_000,
      exitCodes: { app: 0 },
    }));
    // A day after the first (whose checks only record where missed-run detection starts).
    await stack.local.clock.advance(DAY_MINUTES * 60_000);
    await stack.settle();
    const second = stack.local.clock.now();
    await stack.local.clock.advance(DAY_MINUTES * 60_000);
    await stack.settle();
    return checksOf(stack, 'batch-jobs', second);
  } finally {
    await stack.close();
  }
};

// Uniformly spread due times: the expected number of distinct minutes among n of them.
const distinctMinutes = (n: number) => Math.round(DAY_MINUTES * (1 - Math.exp(-n / DAY_MINUTES)));

/**
 * Invocations a day of the periodic checks, before (a rate(1 minute) schedule each) and after
 * (one-time wake-ups when something is due, and a 15-minute backstop), measured over simulated
 * days on the embedded endpoint.
 */
const periodicChecksBench = async (): Promise<string[]> => {
  const lines = [
    'Periodic checks, invocations per simulated day (before: 1,440 each, rate(1 minute))',
  ];
  const guard = await guardDay(10);
  const guardAfter = guard.wakeups + guard.backstop;
  lines.push(
    `  deployment guard, one service, 10 healthy deployments: ${guardAfter} (${guard.wakeups} wake-ups, ${guard.backstop} backstop; ${guard.acted} found work), x${(guardAfter / BEFORE).toFixed(3)} of before`,
    `    Scheduler calls: ${guard.creates} CreateSchedule (+${guard.conflicts} already set), ${guard.deletes} DeleteSchedule`,
  );
  const perDeployment = guard.wakeups / 10;
  for (const deployments of [10, 2000]) {
    const wakes = distinctMinutes(perDeployment * deployments);
    lines.push(
      `  estimate, ${deployments} deployments a day across the fleet (${perDeployment.toFixed(1)} wake-ups each, one per minute at most, spread evenly): ${wakes + guard.backstop}`,
    );
  }
  const batch = await batchDay(50);
  const batchAfter = batch.wakeups + batch.backstop;
  lines.push(
    `  batch check, 50 daily one-task jobs: ${batchAfter} (${batch.wakeups} wake-ups, ${batch.backstop} backstop; ${batch.acted} found work), x${(batchAfter / BEFORE).toFixed(3)} of before`,
    `    Scheduler calls: ${batch.creates} CreateSchedule (+${batch.conflicts} already set), ${batch.deletes} DeleteSchedule`,
  );
  lines.push('  chat-actions sweep (held-back Slack posts): 1,440, unchanged');
  const met = guardAfter < BEFORE && batchAfter < BEFORE;
  lines.push(`  target: fewer invocations than the fixed schedule${met ? '  met' : '  MISSED'}`);
  return lines;
};

export { periodicChecksBench };
