import { describe, expect, it } from 'vitest';
import type { BatchAction } from '#batch/actions/index.ts';
import type { LaunchJobTasksAction } from '#batch/actions/launch-job-tasks.ts';
import { decideRun, NOTHING_OBSERVED } from '#batch/decide-run.ts';
import { retryable, retryDelaySeconds } from '#batch/outcome.ts';
import type { TaskOutcome } from '#batch/records.ts';
import { slotStates } from '#batch/slots.ts';
import {
  aRun,
  batchAlerts,
  ESSENTIAL,
  failedOutcome,
  launch,
  minutesAfter,
  outcome,
  RUN_CONTEXT,
  taskOf,
} from '#support/job-runs.ts';

const CTX = RUN_CONTEXT;
const launches = (actions: BatchAction[]) =>
  actions.find((a): a is LaunchJobTasksAction => a.type === 'launch-job-tasks')?.launches ?? [];
const alerts = batchAlerts;

const POLICY = aRun().retries;
const exit = (code: number): TaskOutcome => failedOutcome('arn:t', code);

describe('Batch jobs: retries', () => {
  describe('which failures the policy retries', () => {
    it.each([
      ['any non-zero exit, when no exit codes are listed', exit(3), {}, true],
      ['a listed exit code', exit(75), { exitCodes: [75] }, true],
      ['an exit code not listed', exit(1), { exitCodes: [75] }, false],
      [
        'a task that never started',
        { ...exit(1), started: false, kind: 'failed-to-start', essentialExits: [] },
        {},
        true,
      ],
      [
        'a task that never started, start failures off',
        { ...exit(1), started: false, essentialExits: [] },
        { startFailures: false },
        false,
      ],
      ['a Fargate Spot interruption', { ...exit(143), kind: 'spot-interruption' }, {}, true],
      [
        'a Fargate Spot interruption, interruptions off',
        { ...exit(143), kind: 'spot-interruption' },
        { interruptions: false },
        false,
      ],
      [
        'a task a person (or the deadline) stopped',
        { ...exit(137), kind: 'user-stopped' },
        {},
        false,
      ],
      [
        'a task whose outcome was lost',
        { ...exit(1), kind: 'lost', essentialExits: [] },
        {},
        false,
      ],
      ['a success', outcome('arn:t'), {}, false],
    ])('%s: %s', (_label, result, policy, expected) => {
      // Assess
      expect(retryable(result as TaskOutcome, { ...POLICY, ...policy })).toBe(expected);
    });

    it.each([
      [1, 60],
      [2, 120],
      [3, 240],
      [6, 900],
    ])('waits %i attempt(s) in: %i s (60 s doubling, at most 900 s)', (attempt, seconds) => {
      // Assess
      expect(retryDelaySeconds(POLICY, attempt)).toBe(seconds);
    });
  });

  describe('retrying a failed task', () => {
    const run = aRun({ count: 2 });
    const first = launch('c0', [0, 1]);
    const failedAt = '2026-11-21T10:05:00Z';
    const facts = {
      launches: [first],
      outcomes: [outcome(taskOf(first, 0)), failedOutcome(taskOf(first, 1), 1, failedAt)],
    };

    it('waits for the back-off, then launches the slot again with its own token', () => {
      // Act
      const during = decideRun(run, facts, NOTHING_OBSERVED, CTX, minutesAfter(5.5));
      const after = decideRun(run, facts, NOTHING_OBSERVED, CTX, minutesAfter(6));
      // Assess
      expect(during).toStrictEqual([]);
      expect(launches(after)).toStrictEqual([
        expect.objectContaining({
          launchId: 's1.a2',
          slots: [1],
          attempt: 2,
          placementTry: 0,
          clientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);
    });

    it('stops after the last attempt and reports the run failed', () => {
      // Prepare
      const second = launch('s1.a2', [1], { attempt: 2 });
      const third = launch('s1.a3', [1], { attempt: 3 });
      const exhausted = {
        launches: [first, second, third],
        outcomes: [
          ...facts.outcomes,
          failedOutcome(taskOf(second, 1), 1, '2026-11-21T10:07:00Z'),
          failedOutcome(taskOf(third, 1), 1, '2026-11-21T10:10:00Z'),
        ],
      };
      // Act
      const actions = decideRun(run, exhausted, NOTHING_OBSERVED, CTX, minutesAfter(15));
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual(['finish-job-run', 'notify']);
      expect(alerts(actions)[0]?.tasks).toStrictEqual({
        total: 2,
        succeeded: 1,
        failed: 1,
        retries: 2,
      });
    });

    it('does not retry when the back-off would end after the deadline', () => {
      // Act
      const actions = decideRun(
        aRun({ count: 2, deadlineMinutes: 5, startWindowMinutes: 5 }),
        facts,
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(4.9),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual(['finish-job-run', 'notify']);
      expect(alerts(actions)[0]?.failures).toStrictEqual([
        { reason: `${ESSENTIAL} exited 1`, count: 1 },
      ]);
    });
  });

  describe('RunTask capacity failures (failures[]) within the start window', () => {
    const run = aRun({ count: 4 });
    const partial = launch('c0', [0, 1, 2, 3], { unplaced: [2, 3], reason: 'RESOURCE:FARGATE' });

    it('tracks the tasks that launched and the slots that were not placed', () => {
      // Act
      const slots = slotStates(run, { launches: [partial], outcomes: [] });
      // Assess
      expect(slots.map((s) => s.status)).toStrictEqual(['open', 'open', 'unplaced', 'unplaced']);
      expect(slots[2]?.reason).toBe('not placed: RESOURCE:FARGATE');
    });

    it('calls RunTask again for the unplaced slots together after 30 s, then backs off doubling', () => {
      // Prepare
      const retry = launch('c0.p1', [2, 3], {
        placementTry: 1,
        at: '2026-11-21T10:00:30Z',
        unplaced: [2, 3],
      });
      // Act
      const early = decideRun(
        run,
        { launches: [partial], outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(0.4),
      );
      const due = decideRun(
        run,
        { launches: [partial], outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(0.5),
      );
      const next = decideRun(
        run,
        { launches: [partial, retry], outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(1),
      );
      const later = decideRun(
        run,
        { launches: [partial, retry], outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(1.5),
      );
      // Assess
      expect(launches(early)).toStrictEqual([]);
      expect(launches(due)).toStrictEqual([
        expect.objectContaining({ launchId: 'c0.p1', slots: [2, 3], attempt: 1, placementTry: 1 }),
      ]);
      expect(launches(next)).toStrictEqual([]);
      expect(launches(later)).toStrictEqual([
        expect.objectContaining({ launchId: 'c0.p2', slots: [2, 3], placementTry: 2 }),
      ]);
    });

    it('gives the slots up once the next call would fall past the start window, and warns once', () => {
      // Prepare: tries at 0, 0:30, 1:30, 3:30 and 7:30; the next would be at 12:30, past 10:10.
      const tries = [
        partial,
        launch('c0.p1', [2, 3], { placementTry: 1, at: '2026-11-21T10:00:30Z', unplaced: [2, 3] }),
        launch('c0.p2', [2, 3], { placementTry: 2, at: '2026-11-21T10:01:30Z', unplaced: [2, 3] }),
        launch('c0.p3', [2, 3], { placementTry: 3, at: '2026-11-21T10:03:30Z', unplaced: [2, 3] }),
        launch('c0.p4', [2, 3], { placementTry: 4, at: '2026-11-21T10:07:30Z', unplaced: [2, 3] }),
      ];
      // Act
      const fresh = decideRun(
        run,
        { launches: tries, outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(8),
      );
      const stale = decideRun(
        run,
        { launches: tries, outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(20),
      );
      // Assess
      expect(slotStates(run, { launches: tries, outcomes: [] }).map((s) => s.status)).toStrictEqual(
        ['open', 'open', 'failed', 'failed'],
      );
      expect(launches(fresh)).toStrictEqual([]);
      expect(alerts(fresh)).toStrictEqual([
        expect.objectContaining({
          event: 'unplaced',
          severity: 'warning',
          failures: [{ reason: 'not placed: RESOURCE:FARGATE', count: 2 }],
        }),
      ]);
      expect(stale).toStrictEqual([]);
    });

    it('reports a run whose tasks could never be placed as failed, counting them', () => {
      // Prepare
      const none = launch('c0', [0, 1], { unplaced: [0, 1], at: '2026-11-21T10:09:50Z' });
      // Act
      const actions = decideRun(
        aRun({ count: 2 }),
        { launches: [none], outcomes: [] },
        NOTHING_OBSERVED,
        CTX,
        minutesAfter(10),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual(['finish-job-run', 'notify']);
      expect(alerts(actions)[0]).toMatchObject({
        status: 'failed',
        failures: [{ reason: 'not placed: RESOURCE:FARGATE', count: 2 }],
      });
    });
  });

  it('does not retry a RunTask call ECS refused for good, and reports the run failed with its error', () => {
    // Prepare
    const refused = launch('c0', [0, 1], {
      error: {
        name: 'InvalidParameterException',
        message: 'Task definition does not support launch_type FARGATE.',
      },
    });
    // Act
    const actions = decideRun(
      aRun({ count: 2 }),
      { launches: [refused], outcomes: [] },
      NOTHING_OBSERVED,
      CTX,
      minutesAfter(1),
    );
    // Assess
    expect(actions.map((a) => a.type)).toStrictEqual(['finish-job-run', 'notify']);
    expect(alerts(actions)[0]?.failures).toStrictEqual([
      {
        reason: 'InvalidParameterException: Task definition does not support launch_type FARGATE.',
        count: 2,
      },
    ]);
  });

  describe('deadlines', () => {
    const run = aRun({ count: 3, deadlineMinutes: 60 });
    const first = launch('c0', [0, 1, 2]);
    const facts = { launches: [first], outcomes: [outcome(taskOf(first, 0))] };

    it('does nothing before the deadline', () => {
      // Assess
      expect(
        decideRun(
          run,
          facts,
          { ...NOTHING_OBSERVED, running: [taskOf(first, 1), taskOf(first, 2)] },
          CTX,
          minutesAfter(59),
        ),
      ).toStrictEqual([]);
    });

    it('stops every task still running at the deadline, including ones only ECS knows, and fails the run', () => {
      // Act
      const actions = decideRun(
        run,
        facts,
        { ...NOTHING_OBSERVED, running: [taskOf(first, 1), 'arn:orphan'] },
        CTX,
        minutesAfter(60),
      );
      // Assess
      expect(actions.filter((a) => a.type === 'stop-job-task')).toStrictEqual([
        expect.objectContaining({
          taskArn: taskOf(first, 1),
          reason: 'Harbormaster: job nightly run 20261121T100000Z passed its 60-minute deadline',
        }),
        expect.objectContaining({ taskArn: taskOf(first, 2) }),
        expect.objectContaining({ taskArn: 'arn:orphan' }),
      ]);
      expect(actions.find((a) => a.type === 'finish-job-run')).toMatchObject({
        status: 'failed',
        reason: 'the 60-minute deadline passed with 3 task(s) still running',
      });
      expect(alerts(actions)[0]).toMatchObject({
        tasks: { total: 3, succeeded: 1, failed: 2 },
        failures: [{ reason: 'stopped at the deadline while running', count: 2 }],
      });
    });
  });
});
