import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRunStore } from '#batch/ports.ts';
import { createJobRunStore } from '#batch/store.ts';
import { aRun, launch, outcome, taskOf } from '#support/job-runs.ts';

let local: LocalAws;
let store: JobRunStore;
const NOW = new Date('2026-11-21T10:00:00Z');

beforeEach(async () => {
  local = await startLocalAws({ now: NOW });
  local.dynamodb.createTable('runs', { partitionKey: 'pk', sortKey: 'sk' });
  store = createJobRunStore(
    new DynamoDBClient({
      endpoint: local.url,
      region: local.region,
      credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
    }),
    'runs',
    { namespace: 'prod', retentionDays: 30, now: () => NOW },
  );
});
afterEach(async () => local.close());

describe('Adapter: JobRunStore over DynamoDB on the embedded endpoint', () => {
  it('records a run once and finishes it once', async () => {
    // Prepare
    const run = aRun();
    // Act
    const first = await store.createRun(run);
    const again = await store.createRun({ ...run, count: 99 });
    const finished = await store.finishRun(run.job, run.runKey, {
      status: 'failed',
      finishedAt: NOW.toISOString(),
      reason: 'deadline',
    });
    const twice = await store.finishRun(run.job, run.runKey, {
      status: 'succeeded',
      finishedAt: NOW.toISOString(),
    });
    // Assess
    expect([first, again, finished, twice]).toStrictEqual([true, false, true, false]);
    expect(await store.getRun(run.job, run.runKey)).toStrictEqual({
      ...run,
      status: 'failed',
      finishedAt: NOW.toISOString(),
      reason: 'deadline',
    });
    expect(local.dynamodb.items('runs')[0]).toMatchObject({
      expiresAt: { N: String(NOW.getTime() / 1000 + 30 * 86_400) },
    });
  });

  it('keeps launches and outcomes per run, an outcome once', async () => {
    // Prepare
    const run = aRun();
    const first = launch('c0', [0, 1, 2]);
    // Act
    await store.recordLaunch(run.job, run.runKey, first);
    await store.recordLaunch(run.job, run.runKey, first);
    const recorded = await store.recordOutcome(run.job, run.runKey, outcome(taskOf(first, 0)));
    const duplicate = await store.recordOutcome(
      run.job,
      run.runKey,
      outcome(taskOf(first, 0), { succeeded: false }),
    );
    // Assess
    expect([recorded, duplicate]).toStrictEqual([true, false]);
    expect(await store.runFacts(run.job, run.runKey)).toStrictEqual({
      launches: [first],
      outcomes: [outcome(taskOf(first, 0))],
    });
    expect(await store.runFacts(run.job, 'another-run')).toStrictEqual({
      launches: [],
      outcomes: [],
    });
  });

  it('lists a job\u2019s runs scheduled at or after a time, oldest first', async () => {
    // Prepare
    for (const [key, at] of [
      ['20261121T080000Z', '2026-11-21T08:00:00.000Z'],
      ['20261121T090000Z', '2026-11-21T09:00:00.000Z'],
      ['20261121T091500Z-manual', '2026-11-21T09:15:00.000Z'],
    ] as const)
      await store.createRun(aRun({}, { runKey: key, scheduledAt: at }));
    // Act
    const runs = await store.recentRuns('nightly', new Date('2026-11-21T08:30:00Z'));
    // Assess
    expect(runs.map((r) => r.runKey)).toStrictEqual([
      '20261121T090000Z',
      '20261121T091500Z-manual',
    ]);
  });

  it('never moves a watermark back', async () => {
    // Act
    await store.setWatermark('nightly', {
      at: '2026-11-21T10:00:00.000Z',
      schedule: 'rate(1 hour)',
      timezone: 'UTC',
    });
    await store.setWatermark('nightly', {
      at: '2026-11-21T09:00:00.000Z',
      schedule: 'rate(1 hour)',
      timezone: 'UTC',
    });
    // Assess
    expect(await store.watermark('nightly')).toStrictEqual({
      at: '2026-11-21T10:00:00.000Z',
      schedule: 'rate(1 hour)',
      timezone: 'UTC',
    });
    expect(await store.watermark('weekly')).toBeUndefined();
  });

  it('counts open tasks on the run header; an outcome recorded alone never takes the last open task', async () => {
    // Prepare: a running run with 2 tasks launched; the first outcome's answer is lost once (the
    // SDK sends the transaction again and finds its own write).
    const run = aRun();
    const first = launch('c0', [0, 1]);
    await store.createRun(run);
    await store.recordLaunch(run.job, run.runKey, first);
    await store.recordLaunch(run.job, run.runKey, first);
    local.faults.inject({
      service: 'dynamodb',
      operation: 'TransactWriteItems',
      error: 'ServerException',
      afterOperation: true,
      times: 1,
    });
    // Act
    const alone = await store.recordOutcomeWhileOthersOpen(
      run.job,
      run.runKey,
      outcome(taskOf(first, 0)),
    );
    const again = await store.recordOutcomeWhileOthersOpen(
      run.job,
      run.runKey,
      outcome(taskOf(first, 0), { succeeded: false }),
    );
    const last = await store.recordOutcomeWhileOthersOpen(
      run.job,
      run.runKey,
      outcome(taskOf(first, 1)),
    );
    const opened = (await store.getRunHeader(run.job, run.runKey))?.open;
    const recorded = await store.recordOutcome(run.job, run.runKey, outcome(taskOf(first, 1)));
    // Assess
    expect([alone, again, last, opened, recorded]).toStrictEqual([
      'recorded',
      'already-recorded',
      'last-open',
      1,
      true,
    ]);
    expect((await store.getRunHeader(run.job, run.runKey))?.open).toBe(0);
    expect((await store.runFacts(run.job, run.runKey)).outcomes).toHaveLength(2);
  });

  it('schedules a run’s next full check without postponing one still to come', async () => {
    const run = aRun();
    await store.createRun(run);
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
    await store.scheduleCheck(run.job, run.runKey, at(10), NOW);
    await store.scheduleCheck(run.job, run.runKey, at(30), NOW);
    const kept = (await store.getRunHeader(run.job, run.runKey))?.checkAt;
    await store.scheduleCheck(run.job, run.runKey, at(5), NOW);
    const earlier = (await store.getRunHeader(run.job, run.runKey))?.checkAt;
    await store.scheduleCheck(run.job, run.runKey, at(40), new Date(at(6)));
    const replaced = (await store.getRunHeader(run.job, run.runKey))?.checkAt;
    expect([kept, earlier, replaced]).toStrictEqual([at(10), at(5), at(40)]);
  });
});
