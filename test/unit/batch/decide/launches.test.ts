import { describe, expect, it } from 'vitest';
import { createRunTaskPacer } from '#aws/ecs/run-task-pacer.ts';
import type { LaunchJobTasksAction } from '#batch/actions/launch-job-tasks.ts';
import { launchRecordOf } from '#batch/actions/launch-job-tasks.ts';
import { decideRun, NOTHING_OBSERVED } from '#batch/decide-run.ts';
import {
  clientTokenFor,
  manualRunKey,
  parseStartedBy,
  scheduledRunKey,
  startedByFor,
} from '#batch/run-ids.ts';
import type { Action } from '#kernel/action.ts';
import { aRun, launch, minutesAfter, RUN_CONTEXT, STARTED } from '#support/job-runs.ts';

const CTX = RUN_CONTEXT;

const launchAction = (actions: Action[]): LaunchJobTasksAction | undefined =>
  actions.find((a): a is LaunchJobTasksAction => a.type === 'launch-job-tasks');

describe('Batch jobs: launches', () => {
  describe('run identity', () => {
    it.each([
      ['a scheduled time', scheduledRunKey(new Date('2026-11-21T02:30:00Z')), '20261121T023000Z'],
      [
        'a redelivery stamped a few seconds later',
        scheduledRunKey(new Date('2026-11-21T02:30:41Z')),
        '20261121T023000Z',
      ],
      [
        'a run-now request',
        manualRunKey(new Date('2026-11-21T09:05:12Z')),
        '20261121T090500Z-manual',
      ],
      [
        'a run-now request with a key',
        manualRunKey(new Date('2026-11-21T09:05:12Z'), 'rerun2'),
        '20261121T090500Z-rerun2',
      ],
    ])('derives the run key of %s from the job and its time', (_label, actual, expected) => {
      // Assess
      expect(actual).toBe(expected);
    });

    it('names every task of a run by startedBy, and reads it back', () => {
      // Act
      const startedBy = startedByFor('prod', 'nightly-report', '20261121T023000Z');
      // Assess
      expect(startedBy).toBe('harbormaster/prod/nightly-report/20261121T023000Z');
      expect(startedBy).toMatch(/^[A-Za-z0-9/_-]{1,128}$/);
      expect(parseStartedBy(startedBy)).toStrictEqual({
        namespace: 'prod',
        job: 'nightly-report',
        runKey: '20261121T023000Z',
      });
      expect(parseStartedBy('ecs-svc/1234567890')).toBeUndefined();
      expect(
        startedByFor('s'.repeat(16), 'j'.repeat(48), manualRunKey(STARTED, 'k'.repeat(16))).length,
      ).toBeLessThanOrEqual(128);
    });

    it('gives each launch a client token of at most 64 printable characters, the same on every retry', () => {
      // Act
      const token = clientTokenFor('harbormaster/prod/nightly/20261121T023000Z', 'c0');
      // Assess
      expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
      expect(clientTokenFor('harbormaster/prod/nightly/20261121T023000Z', 'c0')).toBe(token);
      expect(clientTokenFor('harbormaster/prod/nightly/20261121T023000Z', 'c1')).not.toBe(token);
      expect(clientTokenFor('harbormaster/prod/nightly/20261122T023000Z', 'c0')).not.toBe(token);
    });
  });

  describe('chunking into RunTask calls of at most 10 tasks', () => {
    it.each([
      [1, [[0]]],
      [10, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]],
      [
        25,
        [
          [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
          [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
          [20, 21, 22, 23, 24],
        ],
      ],
    ])('launches %i task(s) as %j', (count, expected) => {
      // Act
      const action = launchAction(
        decideRun(aRun({ count }), { launches: [], outcomes: [] }, NOTHING_OBSERVED, CTX, STARTED),
      );
      // Assess
      expect(action?.launches.map((l) => l.slots)).toStrictEqual(expected);
      expect(action?.launches.map((l) => l.launchId)).toStrictEqual(
        expected.map((_, c) => `c${c}`),
      );
      expect(new Set(action?.launches.map((l) => l.clientToken)).size).toBe(expected.length);
    });

    it('launches 1,000 tasks in 100 calls, the floor', () => {
      // Act
      const action = launchAction(
        decideRun(
          aRun({ count: 1000 }),
          { launches: [], outcomes: [] },
          NOTHING_OBSERVED,
          CTX,
          STARTED,
        ),
      );
      // Assess
      expect(action?.launches).toHaveLength(100);
      expect(action?.launches.every((l) => l.slots.length === 10)).toBe(true);
    });

    it('plans only the chunks not recorded yet, with the same tokens (a retried invocation resumes)', () => {
      // Prepare
      const run = aRun({ count: 25 });
      const first = launchAction(
        decideRun(run, { launches: [], outcomes: [] }, NOTHING_OBSERVED, CTX, STARTED),
      );
      const recorded = [launch('c0', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])];
      // Act
      const resumed = launchAction(
        decideRun(
          run,
          { launches: recorded, outcomes: [] },
          NOTHING_OBSERVED,
          CTX,
          minutesAfter(1),
        ),
      );
      // Assess
      expect(resumed?.launches.map((l) => l.launchId)).toStrictEqual(['c1', 'c2']);
      expect(resumed?.launches.map((l) => l.clientToken)).toStrictEqual(
        first?.launches.slice(1).map((l) => l.clientToken),
      );
    });

    it('gives up chunks that could not be launched before the start window closed (ECS unavailable)', () => {
      // Prepare
      const run = aRun({ count: 12 });
      const recorded = [launch('c0', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])];
      // Act
      const actions = decideRun(
        run,
        { launches: recorded, outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(11),
      );
      // Assess
      expect(launchAction(actions)).toBeUndefined();
      expect(actions).toContainEqual(
        expect.objectContaining({
          type: 'record-job-launch',
          launch: expect.objectContaining({
            launchId: 'c1.expired',
            slots: [10, 11],
            error: { name: 'NotLaunched', message: 'not launched before the start window closed' },
          }),
        }),
      );
    });
  });

  describe('what a RunTask answer means for the slots', () => {
    const planned = {
      launchId: 'c0',
      slots: [0, 1, 2, 3],
      attempt: 1,
      placementTry: 0,
      clientToken: 't',
    };

    it('fills slots in the order of the sorted task ARNs, and puts failures[] on the rest', () => {
      // Act
      const record = launchRecordOf(
        planned,
        {
          outcome: 'launched',
          taskArns: ['arn:b', 'arn:a'],
          failures: [
            { reason: 'RESOURCE:FARGATE' },
            { reason: 'RESOURCE:FARGATE', detail: 'no capacity' },
          ],
        },
        STARTED,
      );
      // Assess
      expect(record.tasks).toStrictEqual([
        { slot: 0, taskArn: 'arn:a' },
        { slot: 1, taskArn: 'arn:b' },
      ]);
      expect(record.failures).toStrictEqual([
        { slot: 2, reason: 'RESOURCE:FARGATE' },
        { slot: 3, reason: 'RESOURCE:FARGATE', detail: 'no capacity' },
      ]);
    });

    it('takes the tasks of a token used with other parameters (ConflictException) as this launch\u2019s', () => {
      // Act
      const record = launchRecordOf(
        planned,
        { outcome: 'conflict', taskArns: ['arn:a', 'arn:b', 'arn:c', 'arn:d'] },
        STARTED,
      );
      // Assess
      expect(record.tasks.map((t) => t.slot)).toStrictEqual([0, 1, 2, 3]);
      expect(record.failures).toStrictEqual([]);
    });

    it('records a refusal for the whole call', () => {
      // Act
      const record = launchRecordOf(
        planned,
        {
          outcome: 'refused',
          error: { name: 'ClusterNotFoundException', message: 'Cluster not found.' },
        },
        STARTED,
      );
      // Assess
      expect(record).toMatchObject({
        tasks: [],
        failures: [],
        error: { name: 'ClusterNotFoundException' },
      });
    });
  });

  describe('pacing under the RunTask limits', () => {
    const fakeClock = () => {
      let now = 0;
      return {
        now: () => now,
        sleep: async (ms: number) => {
          now += ms;
        },
      };
    };

    it('paces 100 calls of 10 tasks by the task-launch bucket: 100 at once, then 20 per second', async () => {
      // Prepare
      const clock = fakeClock();
      const pacer = createRunTaskPacer(
        { callsPerSecond: 20, tasksPerSecond: 20, taskBurst: 100 },
        clock,
      );
      const starts: number[] = [];
      // Act
      for (let i = 0; i < 100; i += 1) {
        await pacer.acquire(10);
        starts.push(clock.now());
      }
      // Assess
      expect(starts.slice(0, 10).every((t) => t === 0)).toBe(true);
      expect(starts[10]).toBeCloseTo(500, 0);
      expect(starts[99]).toBeCloseTo(45_000, 0);
      // Never more than 20 calls in any second, nor more than 100 + 20/s tasks.
      for (let i = 20; i < starts.length; i += 1)
        expect((starts[i] as number) - (starts[i - 20] as number)).toBeGreaterThanOrEqual(999);
    });

    it('paces single-task calls by the call bucket: 20 per second', async () => {
      // Prepare
      const clock = fakeClock();
      const pacer = createRunTaskPacer(
        { callsPerSecond: 20, tasksPerSecond: 20, taskBurst: 100 },
        clock,
      );
      // Act
      for (let i = 0; i < 60; i += 1) await pacer.acquire(1);
      // Assess
      expect(clock.now()).toBeCloseTo(2000, 0);
    });

    it('paces slower than a call a second without stalling', async () => {
      // Prepare
      const clock = fakeClock();
      const pacer = createRunTaskPacer(
        { callsPerSecond: 0.5, tasksPerSecond: 20, taskBurst: 100 },
        clock,
      );
      // Act
      for (let i = 0; i < 3; i += 1) await pacer.acquire(10);
      // Assess
      expect(clock.now()).toBeCloseTo(4000, 0);
    });

    it('empties its buckets after throttling, so the next call waits', async () => {
      // Prepare
      const clock = fakeClock();
      const pacer = createRunTaskPacer(
        { callsPerSecond: 20, tasksPerSecond: 20, taskBurst: 100 },
        clock,
      );
      await pacer.acquire(10);
      // Act
      pacer.backOff();
      await pacer.acquire(10);
      // Assess
      expect(clock.now()).toBeCloseTo(500, 0);
    });
  });
});
