import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { BatchAction } from './actions/index.ts';
import type { BatchEvent } from './batch-event.ts';
import type { BatchConfig, JobConfig } from './config.ts';
import { decideRun, type RunObservation } from './decide-run.ts';
import { decideStart, type StartState } from './decide-start.ts';
import { decideSweep, type SweepState } from './decide-sweep.ts';
import type { JobRun, RunFacts } from './records.ts';
import { whereOf } from './run-alerts.ts';

/** A run and what ECS says about it (a stopped task's event, or ListTasks and DescribeTasks). */
interface RunState {
  namespace: string;
  run: JobRun | undefined;
  facts: RunFacts;
  observed: RunObservation;
  config: JobConfig | undefined;
}

/** What each kind of invocation loads. */
type BatchState =
  | { kind: 'start'; start: StartState }
  | { kind: 'sweep'; sweep: SweepState }
  | { kind: 'run'; state: RunState }
  | { kind: 'none' };

const decideRunEvent = (
  event: Extract<BatchEvent, { kind: 'task-stopped' | 'reconcile' }>,
  state: RunState,
  now: Date,
): Decision<BatchAction> => {
  if (event.kind === 'task-stopped' && event.namespace !== state.namespace)
    return ignore(`the task belongs to stage ${event.namespace}, not ${state.namespace}`);
  const { run } = state;
  if (!run) return ignore(`no run ${event.job}/${event.runKey} is recorded`);
  const actions = decideRun(
    run,
    state.facts,
    state.observed,
    {
      where: whereOf(run, event.where),
      routing: state.config?.alerts,
    },
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
      return state.kind === 'run'
        ? decideRunEvent(event, state.state, now)
        : ignore('nothing loaded');
  }
};

export { type BatchState, decideBatchJobs, type RunState };
