import { describe, expect, it } from 'vitest';
import type { BatchAction } from '#batch/actions/index.ts';
import type { BatchRunAlert } from '#batch/batch-run-alert.ts';
import { decideRun, NOTHING_OBSERVED } from '#batch/decide-run.ts';
import { failureReason, outcomeOf } from '#batch/outcome.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { fixture } from '#support/events.ts';
import {
  aRun,
  batchAlerts,
  ESSENTIAL,
  failedOutcome,
  launch,
  minutesAfter,
  outcome,
  RUN_CONTEXT,
  stopped,
  taskOf,
} from '#support/job-runs.ts';

const CTX = RUN_CONTEXT;
const summaryOf = (actions: BatchAction[]): BatchRunAlert | undefined =>
  batchAlerts(actions).find((a) => a.event === 'finished');

describe('Batch jobs: completion', () => {
  describe('a task succeeds only if every essential container exited 0', () => {
    const ESSENTIALS = [ESSENTIAL];
    it.each([
      [
        'the essential container exited 0 (the sidecar got SIGTERM, 143)',
        stopped('arn:t', { exitCode: 0 }),
        true,
        'exited',
      ],
      ['the essential container exited 1', stopped('arn:t', { exitCode: 1 }), false, 'app exited'],
      [
        'the essential container was OOM-killed',
        stopped('arn:t', {
          exitCode: 137,
          containerReason: 'OutOfMemoryError: Container killed due to memory usage',
        }),
        false,
        'out of memory',
      ],
      [
        'it never started (image pull failed, no exit code)',
        stopped('arn:t', {
          exitCode: undefined,
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
          neverStarted: true,
        }),
        false,
        'never started: CannotPullContainerError',
      ],
      [
        'it was stopped by a user while running (exit 137)',
        stopped('arn:t', {
          exitCode: 137,
          stopCode: 'UserInitiated',
          stoppedReason: 'Task stopped by user',
        }),
        false,
        'stopped: Task stopped by user',
      ],
      [
        'Fargate Spot reclaimed it',
        stopped('arn:t', {
          exitCode: 143,
          stopCode: 'SpotInterruption',
          stoppedReason: 'Your Spot Task was interrupted.',
        }),
        false,
        'interrupted: Fargate Spot capacity reclaimed',
      ],
    ])('%s', (_label, detail, succeeded, reason) => {
      // Act
      const result = outcomeOf(detail, ESSENTIALS);
      // Assess
      expect(result?.succeeded).toBe(succeeded);
      if (!succeeded && result)
        expect(failureReason(result)).toContain(reason.replace('app', ESSENTIAL));
    });

    it('fails a task whose essential container is missing from the event', () => {
      // Act
      const result = outcomeOf(stopped('arn:t', { exitCode: 0 }), [ESSENTIAL, 'migrator']);
      // Assess
      expect(result?.succeeded).toBe(false);
      expect(failureReason(result as NonNullable<typeof result>)).toBe('migrator did not run');
    });

    it('reads the real EC2 RunTask capture (exit 0, no stopCode) as a success', () => {
      // Act
      const detail = fixture('task-stopped-essential-exit0-ec2-runtask-maasglobal')
        .detail as TaskDetail;
      // Assess
      expect(outcomeOf(detail, ['example-ecs-events'])).toMatchObject({
        succeeded: true,
        started: true,
      });
    });

    it('ignores a task that has not stopped yet', () => {
      // Act
      const running = fixture('task-running-fargate-docs-2025').detail as TaskDetail;
      // Assess
      expect(outcomeOf(running, [ESSENTIAL])).toBeUndefined();
    });
  });

  describe('when every task is done, one summary', () => {
    const run = aRun({ count: 3 });
    const first = launch('c0', [0, 1, 2]);

    it('records the stopped task reported by ECS and waits while others run (partial results)', () => {
      // Act
      const actions = decideRun(
        run,
        { launches: [first], outcomes: [] },
        { ...NOTHING_OBSERVED, stopped: [stopped(taskOf(first, 0))] },
        CTX,
        minutesAfter(5),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual(['record-task-outcome']);
    });

    it('finishes a run whose tasks all succeeded, with an info summary', () => {
      // Act
      const actions = decideRun(
        run,
        { launches: [first], outcomes: [outcome(taskOf(first, 0)), outcome(taskOf(first, 1))] },
        { ...NOTHING_OBSERVED, stopped: [stopped(taskOf(first, 2))] },
        CTX,
        minutesAfter(6),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual([
        'record-task-outcome',
        'finish-job-run',
        'notify',
      ]);
      expect(actions[1]).toMatchObject({
        status: 'succeeded',
        finishedAt: minutesAfter(6).toISOString(),
      });
      expect(summaryOf(actions)).toMatchObject({
        severity: 'info',
        event: 'finished',
        status: 'succeeded',
        tasks: { total: 3, succeeded: 3, failed: 0, retries: 0 },
        durationSeconds: 360,
        threadId: 'batch-nightly-20261121T100000Z',
      });
    });

    it('finishes a run with a failure whose retries ran out, naming the exit codes and reasons', () => {
      // Prepare
      const retried = launch('s2.a3', [2], { attempt: 3 });
      const facts = {
        launches: [first, launch('s2.a2', [2], { attempt: 2 }), retried],
        outcomes: [
          outcome(taskOf(first, 0)),
          outcome(taskOf(first, 1)),
          failedOutcome(taskOf(first, 2), 3),
        ],
      };
      facts.outcomes.push(failedOutcome(taskOf(facts.launches[1] as typeof first, 2), 3));
      // Act
      const actions = decideRun(
        run,
        facts,
        { ...NOTHING_OBSERVED, stopped: [stopped(taskOf(retried, 2), { exitCode: 4 })] },
        CTX,
        minutesAfter(12),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual([
        'record-task-outcome',
        'notify',
        'finish-job-run',
        'notify',
      ]);
      expect(summaryOf(actions)).toMatchObject({
        severity: 'error',
        status: 'failed',
        tasks: { total: 3, succeeded: 2, failed: 1, retries: 2 },
        failures: [{ reason: `${ESSENTIAL} exited 4`, count: 1 }],
        retried: [{ reason: `${ESSENTIAL} exited 3`, count: 2 }],
        failedTasks: [taskOf(retried, 2)],
      });
      // The failure as it happened, for the run's Slack app thread only, before the summary.
      expect(batchAlerts(actions)[0]).toMatchObject({
        event: 'task-failed',
        threadOnly: true,
        severity: 'warning',
        failedTask: { taskArn: taskOf(retried, 2), reason: `${ESSENTIAL} exited 4` },
      });
      expect(summaryOf(actions)?.threadOnly).toBeUndefined();
    });

    it('does not report a success when the job asks only for failures', () => {
      // Act
      const actions = decideRun(
        aRun({ count: 1, alerts: { onSuccess: false } }),
        { launches: [launch('c0', [0])], outcomes: [] },
        { ...NOTHING_OBSERVED, stopped: [stopped(taskOf(launch('c0', [0]), 0))] },
        { ...CTX, routing: { onSuccess: false } },
        minutesAfter(5),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual(['record-task-outcome', 'finish-job-run']);
    });

    it('records an outcome only once, however often ECS reports it', () => {
      // Act
      const actions = decideRun(
        run,
        { launches: [first], outcomes: [outcome(taskOf(first, 0))] },
        { ...NOTHING_OBSERVED, stopped: [stopped(taskOf(first, 0)), stopped(taskOf(first, 0))] },
        CTX,
        minutesAfter(6),
      );
      // Assess
      expect(actions).toStrictEqual([]);
    });

    it('counts a task ECS no longer knows (event lost, stopped over an hour ago) as failed, not before a visibility grace', () => {
      // Prepare
      const facts = {
        launches: [first],
        outcomes: [outcome(taskOf(first, 0)), outcome(taskOf(first, 1))],
      };
      const observed = { ...NOTHING_OBSERVED, missing: [taskOf(first, 2)] };
      // Act
      const early = decideRun(run, facts, observed, CTX, minutesAfter(2));
      const late = decideRun(run, facts, observed, CTX, minutesAfter(45));
      // Assess
      expect(early).toStrictEqual([]);
      expect(late.map((a) => a.type)).toStrictEqual([
        'record-task-outcome',
        'notify',
        'finish-job-run',
        'notify',
      ]);
      expect(summaryOf(late)?.failures[0]?.reason).toContain('outcome unknown');
    });

    it('records late outcomes of a finished run and does nothing else', () => {
      // Act
      const actions = decideRun(
        aRun({}, { status: 'failed' }),
        { launches: [first], outcomes: [] },
        { ...NOTHING_OBSERVED, stopped: [stopped(taskOf(first, 0))] },
        CTX,
        minutesAfter(70),
      );
      // Assess
      expect(actions.map((a) => a.type)).toStrictEqual(['record-task-outcome']);
    });
  });
});
