import { describe, expect, it } from 'vitest';
import { parseBatchEvent } from '#batch/batch-event.ts';
import type { BatchRunAlert } from '#batch/batch-run-alert.ts';
import { decideSweep } from '#batch/decide-sweep.ts';
import { findMissedRuns } from '#batch/missed-runs.ts';
import type { Watermark } from '#batch/records.ts';
import { fireTimes } from '#batch/schedule/fire-times.ts';
import type { JobCheck } from '#batch/state.ts';
import { fixture } from '#support/events.ts';
import { aRun, jobConfig, launch, taskOf } from '#support/job-runs.ts';

const DAILY = { schedule: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin', startWindowMinutes: 10 };
const mark = (at: string, job = DAILY): Watermark => ({
  at,
  schedule: job.schedule,
  timezone: job.timezone,
});
const WHERE = { account: '123456789012', region: 'us-east-2' };

const check = (overrides: Partial<JobCheck> = {}): JobCheck => ({
  job: 'nightly',
  config: jobConfig(DAILY),
  watermark: mark('2026-11-20T12:00:00Z'),
  runs: [],
  active: [],
  ...overrides,
});

describe('Batch jobs: missed runs', () => {
  it('finds a scheduled time (in its time zone) that produced no run, once its start window and a margin passed', () => {
    // Act: 02:00 Europe/Berlin is 01:00 UTC in November.
    const before = findMissedRuns(
      jobConfig(DAILY),
      mark('2026-11-20T12:00:00Z'),
      [],
      new Date('2026-11-21T01:11:00Z'),
      fireTimes,
    );
    const after = findMissedRuns(
      jobConfig(DAILY),
      mark('2026-11-20T12:00:00Z'),
      [],
      new Date('2026-11-21T01:13:00Z'),
      fireTimes,
    );
    // Assess
    expect(before.missed).toStrictEqual([]);
    expect(after.missed).toStrictEqual([new Date('2026-11-21T01:00:00Z')]);
    expect(after.watermark?.at).toBe('2026-11-21T01:01:00.000Z');
  });

  it('is satisfied by a run record of any status for that time', () => {
    // Prepare
    const run = aRun(DAILY, {
      runKey: '20261121T010000Z',
      scheduledAt: '2026-11-21T01:00:00.000Z',
      status: 'failed',
    });
    // Act
    const result = findMissedRuns(
      jobConfig(DAILY),
      mark('2026-11-20T12:00:00Z'),
      [run],
      new Date('2026-11-21T02:00:00Z'),
      fireTimes,
    );
    // Assess
    expect(result.missed).toStrictEqual([]);
  });

  it.each([
    ['the first check of a job', undefined],
    [
      'a changed schedule',
      { at: '2026-11-01T00:00:00Z', schedule: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin' },
    ],
  ])('only records where %s starts', (_label, watermark) => {
    // Act
    const result = findMissedRuns(
      jobConfig(DAILY),
      watermark,
      [],
      new Date('2026-11-21T12:00:00Z'),
      fireTimes,
    );
    // Assess
    expect(result).toStrictEqual({
      missed: [],
      watermark: {
        at: '2026-11-21T12:00:00.000Z',
        schedule: DAILY.schedule,
        timezone: DAILY.timezone,
      },
    });
  });

  it('counts rate schedules from their latest scheduled run, and cannot check one that never ran', () => {
    // Prepare
    const rate = { schedule: 'rate(30 minutes)', timezone: 'UTC', startWindowMinutes: 5 };
    const last = aRun(rate, {
      runKey: '20261121T100700Z',
      scheduledAt: '2026-11-21T10:07:00.000Z',
    });
    // Act
    const anchored = findMissedRuns(
      jobConfig(rate),
      mark('2026-11-21T10:00:00Z', rate),
      [last],
      new Date('2026-11-21T11:20:00Z'),
      fireTimes,
    );
    const never = findMissedRuns(
      jobConfig(rate),
      mark('2026-11-21T10:00:00Z', rate),
      [],
      new Date('2026-11-21T11:20:00Z'),
      fireTimes,
    );
    // Assess
    expect(anchored.missed).toStrictEqual([
      new Date('2026-11-21T10:37:00Z'),
      new Date('2026-11-21T11:07:00Z'),
    ]);
    expect(never.missed).toStrictEqual([]);
  });

  it('does not check a disabled job', () => {
    // Assess
    expect(
      findMissedRuns(
        jobConfig({ ...DAILY, enabled: false }),
        mark('2026-11-01T00:00:00Z'),
        [],
        new Date('2026-11-21T12:00:00Z'),
        fireTimes,
      ),
    ).toStrictEqual({ missed: [], watermark: undefined });
  });

  it('reports a long outage in bounded steps', () => {
    // Prepare
    const minutely = { schedule: 'rate(1 minute)', timezone: 'UTC', startWindowMinutes: 1 };
    const last = aRun(minutely, {
      runKey: '20261121T000000Z',
      scheduledAt: '2026-11-21T00:00:00.000Z',
    });
    // Act
    const result = findMissedRuns(
      jobConfig(minutely),
      mark('2026-11-21T00:00:00Z', minutely),
      [last],
      new Date('2026-11-21T12:00:00Z'),
      fireTimes,
    );
    // Assess
    expect(result.missed).toHaveLength(100);
    expect(result.watermark?.at).toBe('2026-11-21T01:40:00.000Z');
  });

  describe('the periodic check', () => {
    const sweep = (() => {
      const event = parseBatchEvent({
        ...fixture('scheduler-default-payload-powertools'),
        time: '2026-11-21T01:20:00Z',
        resources: ['arn:aws:scheduler:us-east-2:123456789012:schedule/harbormaster-prod/_sweep'],
      });
      if (event.kind !== 'sweep') throw new Error('expected the periodic check');
      return event;
    })();

    it('records and alerts a missed run once, then moves its watermark', () => {
      // Act
      const decision = decideSweep(
        { namespace: 'prod', jobs: [check()], fireTimes },
        WHERE,
        sweep.at,
      );
      // Assess
      expect(decision.actions.map((a) => a.type)).toStrictEqual([
        'start-job-run',
        'notify',
        'advance-job-watermark',
      ]);
      expect(decision.actions[0]).toMatchObject({
        run: { runKey: '20261121T010000Z', status: 'missed' },
      });
      const alert = (decision.actions[1] as { alert: BatchRunAlert }).alert;
      expect(alert).toMatchObject({
        event: 'missed',
        reason: "the schedule's invocation never came",
        scheduledAt: '2026-11-21T01:00:00.000Z',
      });
      expect(alert.dedup.key).toBe(
        'batch-run|123456789012|us-east-2|nightly|20261121T010000Z|missed|',
      );
    });

    it('brings running runs up to date and leaves a job it could not read for the next check', () => {
      // Prepare
      const run = aRun(
        {},
        {
          runKey: '20261121T010000Z',
          scheduledAt: '2026-11-21T01:00:00.000Z',
          startedAt: '2026-11-21T01:00:00.000Z',
          deadlineAt: '2026-11-21T01:15:00.000Z',
          startWindowEndsAt: '2026-11-21T01:10:00.000Z',
        },
      );
      const first = launch('c0', [0, 1, 2], { at: '2026-11-21T01:00:00Z' });
      const jobs = [
        check({ job: 'broken', error: 'ThrottlingException: Rate exceeded' }),
        check({
          runs: [run],
          active: [
            {
              run,
              facts: { launches: [first], outcomes: [] },
              observed: { running: [taskOf(first, 0)], stopped: [], missing: [] },
            },
          ],
        }),
      ];
      // Act
      const decision = decideSweep({ namespace: 'prod', jobs, fireTimes }, WHERE, sweep.at);
      // Assess: past its 01:15 deadline, the run's three tasks are stopped and it fails.
      expect(decision.reason).toContain('broken: not checked (ThrottlingException: Rate exceeded)');
      expect(decision.actions.map((a) => a.type)).toStrictEqual([
        'stop-job-task',
        'stop-job-task',
        'stop-job-task',
        'finish-job-run',
        'notify',
        'advance-job-watermark',
      ]);
    });

    it('is quiet when there is nothing to do', () => {
      // Act
      const decision = decideSweep(
        {
          namespace: 'prod',
          jobs: [check({ watermark: mark('2026-11-21T01:05:00Z') })],
          fireTimes,
        },
        WHERE,
        sweep.at,
      );
      // Assess
      expect(decision.outcome).toBe('ignored');
      expect(decision.actions.map((a) => a.type)).toStrictEqual(['advance-job-watermark']);
    });
  });
});
