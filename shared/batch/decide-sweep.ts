import { act, type Decision } from '#kernel/decision.ts';
import type { BatchAction } from './actions/index.ts';
import type { Where } from './batch-event.ts';
import { decideRun, NOTHING_OBSERVED, withNextCheck } from './decide-run.ts';
import { findMissedRuns } from './missed-runs.ts';
import { newRun } from './new-run.ts';
import type { JobRun } from './records.ts';
import { batchAlert, whereOf } from './run-alerts.ts';
import { scheduledRunKey } from './run-ids.ts';
import type { JobCheck, SweepState } from './state.ts';

const SHOWN_MISSED_TIMES = 20;

/** Missed runs: recorded (so a late invocation does not start them) and alerted once per check. */
const missedActions = (
  check: JobCheck,
  state: SweepState,
  where: Where,
  now: Date,
): BatchAction[] => {
  const { missed, watermark } = findMissedRuns(
    check.config,
    check.watermark,
    check.runs,
    now,
    state.fireTimes,
  );
  const advance: BatchAction[] = watermark
    ? [{ type: 'advance-job-watermark', job: check.job, watermark }]
    : [];
  if (missed.length === 0) return advance;
  const runs = missed.map((at) =>
    newRun({
      namespace: state.namespace,
      job: check.job,
      config: check.config,
      trigger: 'schedule',
      runKey: scheduledRunKey(at),
      scheduledAt: at,
      now,
      status: 'missed',
      reason: "the schedule's invocation never came",
    }),
  );
  const first = runs[0] as JobRun;
  const last = runs.at(-1) as JobRun;
  const times = runs.map((r) => r.scheduledAt);
  const shown =
    times.length > SHOWN_MISSED_TIMES
      ? [...times.slice(0, SHOWN_MISSED_TIMES), `and ${times.length - SHOWN_MISSED_TIMES} more`]
      : times;
  return [
    ...runs.map((run): BatchAction => ({ type: 'start-job-run', run })),
    batchAlert({
      run: first,
      event: 'missed',
      status: 'missed',
      reason:
        runs.length === 1
          ? "the schedule's invocation never came"
          : `${runs.length} invocations of the schedule never came (${first.scheduledAt} to ${last.scheduledAt})`,
      severity: 'error',
      missedTimes: shown,
      where: whereOf(first, where),
      routing: check.config.alerts,
      ...(runs.length > 1 ? { dedupSuffix: last.runKey } : {}),
    }),
    ...advance,
  ];
};

/**
 * The periodic check (pure): for every job, bring its running runs up to date from ECS (retries
 * whose back-off ended, RunTask calls for unplaced tasks, deadlines, outcomes whose STOPPED event
 * was lost, runs whose every task settled) and detect runs its schedule should have started.
 * Jobs are independent: one job that cannot be checked does not hold the others up.
 */
const decideSweep = (state: SweepState, where: Where, now: Date): Decision<BatchAction> => {
  const actions: BatchAction[] = [];
  const notes: string[] = [];
  for (const check of state.jobs) {
    if (check.error) {
      notes.push(`${check.job}: not checked (${check.error})`);
      continue;
    }
    const jobActions = [
      ...check.active.flatMap(({ run, facts, observed }) =>
        withNextCheck(
          run,
          facts,
          decideRun(
            run,
            facts,
            observed ?? NOTHING_OBSERVED,
            { where: whereOf(run, where), routing: check.config.alerts },
            now,
          ),
          now,
        ),
      ),
      ...missedActions(check, state, where, now),
    ];
    const meaningful = jobActions.filter(
      (a) => a.type !== 'advance-job-watermark' && a.type !== 'schedule-run-check',
    );
    if (meaningful.length > 0)
      notes.push(`${check.job}: ${[...new Set(meaningful.map((a) => a.type))].join(', ')}`);
    actions.push(...jobActions);
  }
  const reason =
    notes.length > 0 ? notes.join('; ') : `${state.jobs.length} job(s) checked, nothing to do`;
  // Recording how far the schedules were checked is bookkeeping, not an outcome.
  if (actions.every((a) => a.type === 'advance-job-watermark' || a.type === 'schedule-run-check'))
    return { outcome: 'ignored', reason, actions };
  return act(reason, actions);
};

export { decideSweep };
