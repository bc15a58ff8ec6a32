import { FARGATE_BUCKETS } from '@harbormaster/local-aws';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#apps/local/lambda/local-stack.ts';
import {
  batchChats,
  batchEmails,
  batchJob,
  batchSubjects,
  elapse,
  registerBatchDefinition,
  startBatchStack,
} from '#support/batch-stack.ts';

let stack: LocalStack;
afterEach(async () => stack?.close());

const RUN = '20261121T100000Z';
const startedBy = (job = 'nightly', run = RUN) => `harbormaster/local/${job}/${run}`;
const tasksOf = (job = 'nightly', run = RUN) =>
  stack.local.ecs.tasks({ startedBy: startedBy(job, run) });
const runTaskCalls = () => stack.local.calls.list('ecs', 'RunTask');
const exitAfter = (ms: number, code: number) => ({
  kind: 'exit' as const,
  afterMs: ms,
  exitCodes: { app: code },
});

describe('Scheduled batch jobs, end to end on the embedded AWS endpoint', () => {
  it('launches a scheduled run exactly once under duplicated, retried and 50 concurrent invocations, lost responses and throttling', async () => {
    // Prepare
    stack = await startBatchStack(
      { nightly: batchJob({ count: 25 }) },
      { delivery: { duplicateRate: 0.5, seed: 3 } },
    );
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', exitAfter(60_000, 0));
    stack.local.scheduler.duplicate('nightly');
    stack.local.faults.fargateRunTaskLimits();
    stack.local.faults.inject({
      service: 'ecs',
      operation: 'RunTask',
      error: 'ServerException',
      afterOperation: true,
      times: 1,
    });
    stack.local.faults.inject({
      service: 'ecs',
      operation: 'RunTask',
      error: 'ThrottlingException',
      times: 2,
    });
    // Act: 10:00 fires (twice); a Lambda retry of the same invocation comes a minute later.
    await elapse(stack, 10);
    await stack.lambda.invokeAsync(
      'batch-jobs',
      stack.local.scheduler.payload('nightly', new Date('2026-11-21T10:00:00Z')),
    );
    // And fifty concurrent copies of that invocation.
    await Promise.all(
      Array.from({ length: 50 }, () =>
        stack.lambda.invokeAsync(
          'batch-jobs',
          stack.local.scheduler.payload('nightly', new Date('2026-11-21T10:00:00Z')),
        ),
      ),
    );
    await elapse(stack, 10);
    // Assess
    expect(tasksOf()).toHaveLength(25);
    expect(stack.local.ecs.tasks()).toHaveLength(25);
    const tokens = runTaskCalls().map((c) => (c.input as { clientToken: string }).clientToken);
    expect(new Set(tokens).size).toBe(3);
    expect(runTaskCalls().length).toBeLessThanOrEqual(3 + 3 + 2);
    expect(stack.local.scheduler.firings.filter((f) => f.schedule === 'nightly')).toStrictEqual([
      expect.objectContaining({ delivered: 2, fault: 'duplicated' }),
    ]);
    expect(batchSubjects(stack)).toStrictEqual([
      '[INFO] Batch job nightly succeeded: 25 of 25 tasks',
    ]);
    expect(stack.local.slack.delivered()).toHaveLength(1);
  });

  it('tells a run in one Slack app thread, its parent edited from start to summary and each failure a reply; other channels get the summary', async () => {
    // Prepare: the second task exits 3 once, and is retried
    stack = await startBatchStack({ nightly: batchJob({ count: 3 }) }, { slackApp: true });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', (_task, launch) => ({
      kind: 'exit',
      afterMs: 60_000,
      exitCodes: { app: launch === 1 ? 3 : 0 },
    }));
    // Act
    await elapse(stack, 20);
    // Assess
    const [parent, ...others] = stack.local.slack.history('#data-jobs');
    if (!parent) throw new Error('no thread for the run');
    const header = (m: { blocks?: unknown[] }) =>
      (m.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text;
    expect(others).toStrictEqual([]);
    const steps = [
      ':information_source: Batch job nightly started: 3 tasks',
      expect.stringMatching(
        /^:warning: Batch job nightly: task [0-9a-f]{12} failed \(app exited 3\)$/,
      ),
      ':information_source: Batch job nightly succeeded: 3 of 3 tasks',
    ];
    expect(parent.versions.map(header)).toStrictEqual(steps);
    expect(stack.local.slack.thread('#data-jobs', parent.ts).replies.map(header)).toStrictEqual(
      steps,
    );
    expect(batchSubjects(stack)).toStrictEqual([
      '[INFO] Batch job nightly succeeded: 3 of 3 tasks',
    ]);
    expect(stack.local.slack.delivered()).toHaveLength(1);
  });

  it('leaves what one invocation could not launch within its time budget to the next check, launching nothing twice', async () => {
    // Prepare: 12 calls at 2 a second (a burst of 2) take 5 s; a 32 s invocation launches for its
    // first 2 s (it keeps 30 s for what follows).
    stack = await startBatchStack(
      { nightly: batchJob({ count: 120 }) },
      { batch: { runTaskPacing: { callsPerSecond: 2 } }, timeouts: { 'batch-jobs': 32 } },
    );
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', exitAfter(5 * 60_000, 0));
    // The embedded ECS now enforces Fargate's task-launch bucket (100, refilling 20/s) on the
    // SIMULATED clock, while the pacer spreads these calls over WALL time within one simulated
    // instant: without a larger bucket, calls 11 and 12 are throttled until the clock moves, and
    // every check spends its launch budget retrying. This test is about the budget, not throttling.
    stack.local.throttle.setLimits(FARGATE_BUCKETS.launches, { capacity: 1000 });
    // Act
    await elapse(stack, 20);
    // Assess
    const launches = stack.lambda.invocations
      .flatMap((i) => i.result?.actions ?? [])
      .filter((a) => a.type === 'launch-job-tasks' && a.status === 'done')
      .map((a) => a.detail);
    expect(launches[0]).toMatch(
      /^\d+ RunTask call\(s\), \d+ task\(s\) launched, 0 not placed; launch budget used, the rest is left to the next check$/,
    );
    const calls = launches.map((d) => Number(d.split(' ')[0]));
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(12);
    expect(tasksOf()).toHaveLength(120);
    expect(
      new Set(runTaskCalls().map((c) => (c.input as { clientToken: string }).clientToken)).size,
    ).toBe(12);
    expect(runTaskCalls()).toHaveLength(12);
    expect(batchSubjects(stack)).toStrictEqual([
      '[INFO] Batch job nightly succeeded: 120 of 120 tasks',
    ]);
  }, 60_000);

  it('retries a failing shard per the job\u2019s policy and sends one summary naming what was retried', async () => {
    // Prepare
    stack = await startBatchStack({
      nightly: batchJob({ count: 4, retries: { attempts: 2, backoffSeconds: 60 } }),
    });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', (_task, index) => exitAfter(60_000, index === 2 ? 3 : 0));
    // Act
    await elapse(stack, 20);
    // Assess
    expect(tasksOf()).toHaveLength(5);
    const stopped = tasksOf().map((t) => t.containers.find((c) => c.name === 'app')?.exitCode);
    expect(stopped.sort()).toStrictEqual([0, 0, 0, 0, 3]);
    expect(batchSubjects(stack)).toStrictEqual([
      '[INFO] Batch job nightly succeeded: 4 of 4 tasks',
    ]);
    const [email] = batchEmails(stack);
    expect(email).toContain('4 succeeded, 0 failed of 4 (1 retry)');
    expect(email).toContain('Retried: 1 \u00d7 app exited 3');
  });

  it('reports a failing shard whose retries ran out: counts, exit codes, duration and console links', async () => {
    // Prepare
    stack = await startBatchStack({
      nightly: batchJob({ count: 3, retries: { attempts: 1, backoffSeconds: 30 } }),
    });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', (_task, index) =>
      exitAfter(60_000, index === 0 || index === 3 ? 3 : 0),
    );
    // Act
    await elapse(stack, 20);
    // Assess
    expect(batchSubjects(stack)).toStrictEqual([
      '[ERROR] Batch job nightly failed: 1 of 3 tasks failed',
    ]);
    const [email = ''] = batchEmails(stack);
    expect(email).toContain('2 succeeded, 1 failed of 3 (1 retry)');
    expect(email).toContain('1 \u00d7 app exited 3');
    expect(email).toMatch(/Duration\s+\d+ min \d+ s/);
    expect(email).toContain(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/batch/tasks?region=us-east-1',
    );
    expect(email).toMatch(/ecs\/v2\/clusters\/batch\/tasks\/[0-9a-f]{32}\/configuration/);
    expect(batchChats(stack)[0]?.threadId).toBe(`batch-nightly-${RUN}`);
  });

  it('retries RunTask capacity failures within the start window, then places the tasks', async () => {
    // Prepare
    stack = await startBatchStack({ nightly: batchJob({ count: 5 }) });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', exitAfter(5 * 60_000, 0));
    stack.local.ecs.setCapacity('batch', { maxRunningTasks: 3, reason: 'RESOURCE:FARGATE' });
    // Act
    await elapse(stack, 11);
    const placedFirst = tasksOf().length;
    stack.local.ecs.setCapacity('batch', { maxRunningTasks: 100 });
    await elapse(stack, 15);
    // Assess
    expect(placedFirst).toBe(3);
    expect(tasksOf()).toHaveLength(5);
    const calls = runTaskCalls().map((c) => ({ count: (c.input as { count: number }).count }));
    expect(calls[0]).toStrictEqual({ count: 5 });
    expect(calls.slice(1).every((c) => c.count === 2)).toBe(true);
    expect(batchSubjects(stack)).toStrictEqual([
      '[INFO] Batch job nightly succeeded: 5 of 5 tasks',
    ]);
  });

  it('reports tasks it could not place within the start window, and the run\u2019s outcome', async () => {
    // Prepare
    stack = await startBatchStack({ nightly: batchJob({ count: 5, startWindowMinutes: 5 }) });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', exitAfter(15 * 60_000, 0));
    stack.local.ecs.setCapacity('batch', { maxRunningTasks: 3, reason: 'RESOURCE:FARGATE' });
    // Act
    await elapse(stack, 40);
    // Assess
    expect(tasksOf()).toHaveLength(3);
    expect(batchSubjects(stack)).toStrictEqual([
      '[WARNING] Batch job nightly: 2 of 5 tasks could not be placed',
      '[ERROR] Batch job nightly failed: 2 of 5 tasks failed',
    ]);
    expect(batchEmails(stack)[1]).toContain('2 \u00d7 not placed: RESOURCE:FARGATE');
    expect(new Set(batchChats(stack).map((c) => c.threadId)).size).toBe(1);
  });

  it('stops tasks still running at the deadline and fails the run', async () => {
    // Prepare
    stack = await startBatchStack({ nightly: batchJob({ count: 2, deadlineMinutes: 10 }) });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', exitAfter(60 * 60_000, 0));
    // Act
    await elapse(stack, 25);
    // Assess
    expect(tasksOf().map((t) => [t.lastStatus, t.stopCode, t.stoppedReason])).toStrictEqual([
      [
        'STOPPED',
        'UserInitiated',
        `Harbormaster: job nightly run ${RUN} passed its 10-minute deadline`,
      ],
      [
        'STOPPED',
        'UserInitiated',
        `Harbormaster: job nightly run ${RUN} passed its 10-minute deadline`,
      ],
    ]);
    expect(batchSubjects(stack)).toStrictEqual([
      '[ERROR] Batch job nightly failed: 2 of 2 tasks failed',
    ]);
    expect(batchEmails(stack)[0]).toContain(
      'the 10-minute deadline passed with 2 task(s) still running',
    );
  });

  describe('overlapping runs (a run every 10 minutes, tasks running 15)', () => {
    const overlapping = async (policy: 'Allow' | 'Forbid' | 'Replace') => {
      stack = await startBatchStack({
        nightly: batchJob({
          schedule: 'cron(0/10 * * * ? *)',
          count: 2,
          concurrencyPolicy: policy,
        }),
      });
      stack.local.ecs.createCluster('batch');
      registerBatchDefinition(stack);
      stack.local.ecs.setBehavior('report', exitAfter(15 * 60_000, 0));
      await elapse(stack, 22);
    };
    const SECOND = '20261121T101000Z';

    it('Forbid: skips the run, with an alert, while the previous run still has tasks running', async () => {
      // Act
      await overlapping('Forbid');
      // Assess
      expect(tasksOf('nightly', SECOND)).toHaveLength(0);
      expect(tasksOf().every((t) => t.lastStatus !== 'STOPPED')).toBe(true);
      expect(batchSubjects(stack)).toStrictEqual([
        '[WARNING] Batch job nightly run skipped: the previous run is still active',
      ]);
      expect(batchEmails(stack)[0]).toContain(
        `the previous run ${RUN} (2 task(s) running) is still active (concurrencyPolicy Forbid)`,
      );
    });

    it('Replace: stops the previous run\u2019s tasks first, then runs', async () => {
      // Act
      await overlapping('Replace');
      // Assess
      expect(tasksOf().map((t) => t.stoppedReason)).toStrictEqual([
        `Harbormaster: job nightly run ${RUN} replaced by run ${SECOND} (concurrencyPolicy Replace)`,
        `Harbormaster: job nightly run ${RUN} replaced by run ${SECOND} (concurrencyPolicy Replace)`,
      ]);
      expect(tasksOf('nightly', SECOND)).toHaveLength(2);
      expect(batchSubjects(stack)).toStrictEqual([
        `[WARNING] Batch job nightly run ${RUN} replaced by a newer run`,
      ]);
    });

    it('Allow: runs side by side', async () => {
      // Act
      await overlapping('Allow');
      // Assess
      expect(tasksOf().filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
      expect(tasksOf('nightly', SECOND).filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
      expect(batchSubjects(stack)).toStrictEqual([]);
    });
  });

  it('alerts a missed run: an invocation that never came, and one that came past the start window', async () => {
    // Prepare
    stack = await startBatchStack({
      nightly: batchJob({ schedule: 'cron(0 10,11 * * ? *)', count: 1 }),
    });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.scheduler.drop('nightly');
    stack.local.scheduler.delay('nightly', 11 * 60_000);
    // Act
    await elapse(stack, 100);
    // Assess
    expect(stack.local.ecs.tasks()).toHaveLength(0);
    expect(batchSubjects(stack)).toStrictEqual([
      '[ERROR] Batch job nightly missed its run scheduled at 2026-11-21T10:00:00.000Z',
      '[ERROR] Batch job nightly missed its run scheduled at 2026-11-21T11:00:00.000Z',
    ]);
    const emails = batchEmails(stack);
    expect(emails[0]).toContain("Reason: the schedule's invocation never came.");
    expect(emails[1]).toContain(
      "Reason: the schedule's invocation came 11 min late, past the 10-minute start window.",
    );
  });

  it('fails a run whose cluster or task family does not exist with an alert naming it; other jobs are unaffected', async () => {
    // Prepare
    stack = await startBatchStack({
      nightly: batchJob({ count: 2 }),
      orphan: batchJob({ cluster: 'decommissioned', count: 2 }),
      misspelt: batchJob({ taskDefinition: 'reprot', count: 2 }),
    });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', exitAfter(60_000, 0));
    // Act
    await elapse(stack, 15);
    // Assess
    expect(batchSubjects(stack).sort()).toStrictEqual([
      '[ERROR] Batch job misspelt could not start: task definition reprot not found (no ACTIVE revision)',
      '[ERROR] Batch job orphan could not start: cluster decommissioned does not exist',
      '[INFO] Batch job nightly succeeded: 2 of 2 tasks',
    ]);
    expect(tasksOf()).toHaveLength(2);
  });
});
