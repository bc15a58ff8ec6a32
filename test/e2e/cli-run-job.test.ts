import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#apps/local/lambda/local-stack.ts';
import { ROOT } from '#infra/build/functions.ts';
import {
  batchJob,
  batchSubjects,
  registerBatchDefinition,
  startBatchStack,
} from '#support/batch-stack.ts';

let stack: LocalStack;
afterEach(async () => stack?.close());

// Disabled: its schedule never fires during the test, whatever the wall clock says; run-job still runs it.
const JOBS = { nightly: batchJob({ count: 12, enabled: false }) };

/** Runs the CLI against the stack while simulated time moves on, until it exits. */
const runJobCli = async (
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  const file = join(mkdtempSync(join(tmpdir(), 'hm-run-job-')), 'harbormaster.yml');
  writeFileSync(
    file,
    JSON.stringify({ alerts: { sns: { minimumSeverity: 'info' } }, batchJobs: { jobs: JOBS } }),
  );
  const child = spawn(
    process.execPath,
    [join(ROOT, 'apps/cli/main.ts'), 'run-job', ...args, '--config', file],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.local.env,
        HARBORMASTER_STAGE: 'local',
        ALERT_TOPIC_ARN: stack.topicArn,
        DEDUP_TABLE_NAME: 'harbormaster-local-dedup',
        JOB_RUNS_TABLE_NAME: stack.jobRunsTable,
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await stack.local.clock.advance(20_000);
    await stack.settle();
  }
  return { code: await exited, stdout, stderr };
};

describe('CLI: harbormaster run-job', () => {
  it('runs a job now against the embedded endpoint, follows it to its end, and never launches it twice', async () => {
    // Prepare
    stack = await startBatchStack(JOBS, { now: new Date() });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', { kind: 'exit', afterMs: 60_000, exitCodes: { app: 0 } });
    // Act
    const first = await runJobCli(['nightly', '--key', 'cli1', '--wait', '--poll-seconds', '0.2']);
    const again = await runJobCli(['nightly', '--key', 'cli1']);
    // Assess
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Job nightly, run \d{8}T\d{4}00Z-cli1$/m);
    expect(first.stdout).toContain(
      'launch-job-tasks: 2 RunTask call(s), 12 task(s) launched, 0 not placed',
    );
    expect(first.stdout).toMatch(/Run \d{8}T\d{6}Z-cli1: succeeded/);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ignored: run \d{8}T\d{6}Z-cli1 already succeeded/);
    expect(stack.local.ecs.tasks()).toHaveLength(12);
    expect(
      stack.local.ecs
        .tasks()
        .every((t) => /^harbormaster\/local\/nightly\/\d{8}T\d{6}Z-cli1$/.test(t.startedBy ?? '')),
    ).toBe(true);
    expect(batchSubjects(stack)).toStrictEqual([
      '[INFO] Batch job nightly succeeded: 12 of 12 tasks',
    ]);
  });

  it('names an unknown job and exits 2; dry-run launches nothing', async () => {
    // Prepare
    stack = await startBatchStack(JOBS, { now: new Date() });
    stack.local.ecs.createCluster('batch');
    registerBatchDefinition(stack);
    // Act
    const unknown = await runJobCli(['weekly']);
    const dry = await runJobCli(['nightly', '--dry-run']);
    // Assess
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No job "weekly"');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('launch-job-tasks: would launch 12 task(s) of nightly/');
    expect(stack.local.ecs.tasks()).toHaveLength(0);
  });
});
