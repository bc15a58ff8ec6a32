import { FARGATE_BUCKETS } from '@harbormaster/local-aws';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#apps/local/lambda/local-stack.ts';
import {
  batchJob,
  batchSubjects,
  elapse,
  registerBatchDefinition,
  startBatchStack,
} from '#support/batch-stack.ts';

let stack: LocalStack;
afterEach(async () => stack?.close());

const JOB_RUNS = 'harbormaster-local-job-runs';

/** A run of `count` tasks ending 3 s apart, followed to its summary; what it cost the job runs table. */
const runCost = async (count: number) => {
  stack = await startBatchStack({ nightly: batchJob({ count, retries: { attempts: 0 } }) });
  stack.local.ecs.createCluster('batch');
  registerBatchDefinition(stack);
  // Launch limits are not what this measures: Fargate's RunTask buckets are raised.
  for (const bucket of Object.values(FARGATE_BUCKETS))
    stack.local.throttle.setLimits(bucket, { capacity: 1000 });
  stack.local.ecs.setBehavior('report', (_task, index) => ({
    kind: 'exit' as const,
    afterMs: 60_000 + index * 3000,
    exitCodes: { app: index % 7 === 3 ? 1 : 0 },
  }));
  await elapse(stack, 30);
  const batch = stack.lambda.invocations.filter((i) => i.function === 'batch-jobs');
  const sweeps = batch.filter((i) => JSON.stringify(i.event).includes('_sweep')).length;
  const stopped = batch.filter((i) => JSON.stringify(i.event).includes('ECS Task State Change'));
  // Each periodic check reads the job's watermark and its recent run headers: a cost per job and
  // minute, whatever its runs' sizes, set apart from the run's own.
  const usage = stack.local.dynamodb.usage.of(JOB_RUNS);
  return {
    requests: usage.requests - 2 * sweeps,
    itemsRead: usage.itemsRead - 2 * sweeps,
    stoppedEvents: stopped.length,
    subjects: batchSubjects(stack),
  };
};

describe('A batch run costs a bounded number of DynamoDB operations per task', () => {
  it('a STOPPED event reads its run header, not the run: 10 and 100 tasks cost the same per task, at most 3 operations each', async () => {
    const small = await runCost(10);
    await stack.close();
    const large = await runCost(100);
    // Assess: one summary each, with the failures counted (every 7th task exits 1).
    expect(small.subjects).toStrictEqual([
      '[ERROR] Batch job nightly failed: 1 of 10 tasks failed',
    ]);
    expect(large.subjects).toStrictEqual([
      '[ERROR] Batch job nightly failed: 14 of 100 tasks failed',
    ]);
    expect(large.stoppedEvents).toBeGreaterThanOrEqual(100);
    // At most 3 requests per task, beside a run's fixed cost (its start, launch lease, summary).
    expect(small.requests).toBeLessThanOrEqual(3 * 10 + 30);
    expect(large.requests).toBeLessThanOrEqual(3 * 100 + 30);
    // Items read per task do not grow with the run: each STOPPED event reads the run's header and
    // the last one all its records once (they were about 0.6 x the run's size per event).
    expect(small.itemsRead).toBeLessThanOrEqual(3 * 10);
    expect(large.itemsRead).toBeLessThanOrEqual(3 * 100);
  }, 120_000);
});
