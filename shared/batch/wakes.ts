import { type WakeAction, wakesFor } from '#aws/wakeups/wake.ts';
import type { Decision } from '#kernel/decision.ts';
import type { BatchAction } from './actions/index.ts';
import { nextMissedCheck } from './missed-runs.ts';
import type { BatchState } from './state.ts';

/**
 * The batch decision with its wake-ups (pure): the periodic check runs when a run's next full
 * check is due (a retry's back-off, a RunTask call, the deadline, a look for lost STOPPED events:
 * `schedule-run-check`) and, after a check, when each job's next scheduled run would count as
 * missed. Between them nothing runs; the backstop schedule catches any wake-up that was lost.
 */
const withBatchWakes = (
  decision: Decision<BatchAction>,
  state: BatchState,
  now: Date,
): Decision<BatchAction | WakeAction> => {
  const due = decision.actions.flatMap((a) => {
    if (a.type === 'schedule-run-check')
      return [{ at: a.at, why: `run ${a.job}/${a.runKey} check` }];
    // A run that starts is checked at once (a launch carried on, tasks whose STOPPED event was
    // lost); that check sets its next one.
    if (a.type === 'start-job-run' && a.run.status === 'running')
      return [{ at: now.toISOString(), why: `run ${a.run.job}/${a.run.runKey} started` }];
    return [];
  });
  if (state.kind === 'sweep') {
    // One check looks at every job: the earliest is enough, and it sets the next one.
    const next = state.sweep.jobs
      .filter((check) => !check.error)
      .flatMap((check) => {
        const at = nextMissedCheck(check.config, check.runs, now, state.sweep.fireTimes);
        return at
          ? [{ at: at.toISOString(), why: `job ${check.job}: did its next run start?` }]
          : [];
      })
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
    if (next) due.push(next);
  }
  if (due.length === 0) return decision;
  due.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { ...decision, actions: [...decision.actions, ...wakesFor(due)] };
};

export { withBatchWakes };
