import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { BatchAction } from './actions/index.ts';
import type { BatchEvent } from './batch-event.ts';
import type { BatchConfig } from './config.ts';
import { decideRun, withNextCheck } from './decide-run.ts';
import { decideStart } from './decide-start.ts';
import { decideSweep } from './decide-sweep.ts';
import { whereOf } from './run-alerts.ts';
import type { BatchState, RunState } from './state.ts';

const decideRunEvent = (
  event: Extract<BatchEvent, { kind: 'task-stopped' | 'reconcile' }>,
  state: RunState,
  now: Date,
): Decision<BatchAction> => {
  if (event.kind === 'task-stopped' && event.namespace !== state.namespace)
    return ignore(`the task belongs to stage ${event.namespace}, not ${state.namespace}`);
  const { run } = state;
  if (!run) return ignore(`no run ${event.job}/${event.runKey} is recorded`);
  const actions = withNextCheck(
    run,
    state.facts,
    decideRun(
      run,
      state.facts,
      state.observed,
      { where: whereOf(run, event.where), routing: state.config?.alerts },
      now,
    ),
    now,
  );
  const what = event.kind === 'task-stopped' ? 'a stopped task' : 'a reconcile request';
  return act(`run ${run.job}/${run.runKey} (${run.status}) updated for ${what}`, actions);
};

/** Decides what an invocation of batch-jobs does (pure). */
const decideBatchJobs = (
  event: BatchEvent,
  state: BatchState,
  _config: BatchConfig,
  now: Date,
): Decision<BatchAction> => {
  switch (event.kind) {
    case 'unrelated':
      return ignore(event.reason);
    case 'start':
      return state.kind === 'start'
        ? decideStart(event, state.start, now)
        : ignore('nothing loaded');
    case 'sweep':
      return state.kind === 'sweep'
        ? decideSweep(state.sweep, event.where, now)
        : ignore('nothing loaded');
    case 'task-stopped':
    case 'reconcile':
      if (state.kind === 'stopped') {
        const { run, outcome } = state.state;
        return act(`run ${run.job}/${run.runKey} (running): a task's outcome recorded`, [
          {
            type: 'record-task-outcome',
            job: run.job,
            runKey: run.runKey,
            outcome,
            whileOthersOpen: true,
          },
        ]);
      }
      return state.kind === 'run'
        ? decideRunEvent(event, state.state, now)
        : ignore('nothing loaded');
  }
};

export { decideBatchJobs };
