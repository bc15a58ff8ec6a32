import { failureReason, placementDelaySeconds, retryable, retryDelaySeconds } from './outcome.ts';
import type { JobRun, LaunchRecord, RunFacts, TaskOutcome } from './records.ts';

/**
 * A run has `count` task slots. Each slot is tried until one of its tasks succeeds or its retries
 * run out; every try of a slot is one attempt, launched by some RunTask call (a launch record).
 *
 * - unlaunched: no RunTask call has included it yet;
 * - unplaced: RunTask could not place it (failures[]); it is called again after a back-off;
 * - open: its task was launched and has not stopped yet (as far as the records know);
 * - waiting: its task failed and the retry policy retries it after a back-off;
 * - succeeded / failed: settled.
 */
type SlotStatus = 'unlaunched' | 'unplaced' | 'open' | 'waiting' | 'succeeded' | 'failed';

interface SlotState {
  slot: number;
  status: SlotStatus;
  /** The attempt the slot is on (the one being launched, running, or that settled it). */
  attempt: number;
  /** The launch record of that attempt's latest RunTask call, if any. */
  launch: LaunchRecord | undefined;
  taskArn: string | undefined;
  outcome: TaskOutcome | undefined;
  /** Why a failed slot failed, or why an unplaced one is waiting. */
  reason: string | undefined;
  /** When its next RunTask call is due (unplaced, waiting). */
  dueAt: Date | undefined;
}

const at = (iso: string): number => new Date(iso).getTime();

const latestFor = (slot: number, launches: readonly LaunchRecord[]): LaunchRecord | undefined => {
  let latest: LaunchRecord | undefined;
  for (const launch of launches) {
    if (!launch.slots.includes(slot)) continue;
    if (
      !latest ||
      launch.attempt > latest.attempt ||
      (launch.attempt === latest.attempt && launch.placementTry > latest.placementTry)
    )
      latest = launch;
  }
  return latest;
};

// How long a slot attempt may keep asking for capacity: the first attempt until the run's start
// window closes, a retry for as long a window from its own first call. Never past the deadline.
const placementWindowEnd = (
  run: JobRun,
  launches: readonly LaunchRecord[],
  launch: LaunchRecord,
): number => {
  const windowMs = at(run.startWindowEndsAt) - at(run.startedAt);
  const first = launches
    .filter(
      (l) =>
        l.attempt === launch.attempt &&
        l.placementTry === 0 &&
        l.slots.some((s) => launch.slots.includes(s)),
    )
    .map((l) => at(l.requestedAt));
  const end =
    launch.attempt === 1
      ? at(run.startWindowEndsAt)
      : Math.min(...first, at(launch.requestedAt)) + windowMs;
  return Math.min(end, at(run.deadlineAt));
};

const slotState = (
  run: JobRun,
  slot: number,
  launches: readonly LaunchRecord[],
  outcomes: ReadonlyMap<string, TaskOutcome>,
): SlotState => {
  const base = {
    slot,
    taskArn: undefined,
    outcome: undefined,
    reason: undefined,
    dueAt: undefined,
  };
  const launch = latestFor(slot, launches);
  if (!launch) return { ...base, status: 'unlaunched', attempt: 1, launch: undefined };
  const common = { ...base, attempt: launch.attempt, launch };
  if (launch.error)
    return { ...common, status: 'failed', reason: `${launch.error.name}: ${launch.error.message}` };
  const task = launch.tasks.find((t) => t.slot === slot);
  if (!task) {
    const failure = launch.failures.find((f) => f.slot === slot);
    const reason = `not placed: ${failure?.reason ?? 'UNKNOWN'}`;
    const dueAt = new Date(
      at(launch.requestedAt) + placementDelaySeconds(launch.placementTry) * 1000,
    );
    if (dueAt.getTime() >= placementWindowEnd(run, launches, launch))
      return { ...common, status: 'failed', reason };
    return { ...common, status: 'unplaced', reason, dueAt };
  }
  const outcome = outcomes.get(task.taskArn);
  const withTask = { ...common, taskArn: task.taskArn, outcome };
  if (!outcome) return { ...withTask, status: 'open' };
  if (outcome.succeeded) return { ...withTask, status: 'succeeded' };
  const reason = failureReason(outcome);
  if (launch.attempt <= run.retries.attempts && retryable(outcome, run.retries)) {
    const dueAt = new Date(
      at(outcome.stoppedAt) + retryDelaySeconds(run.retries, launch.attempt) * 1000,
    );
    if (dueAt.getTime() < at(run.deadlineAt))
      return { ...withTask, status: 'waiting', reason, dueAt };
  }
  return { ...withTask, status: 'failed', reason };
};

/** The state of every task slot of a run, from its records alone: no clock, so every reader agrees. */
const slotStates = (run: JobRun, facts: RunFacts): SlotState[] => {
  const outcomes = new Map(facts.outcomes.map((o) => [o.taskArn, o]));
  return Array.from({ length: run.count }, (_, slot) =>
    slotState(run, slot, facts.launches, outcomes),
  );
};

/** True once no slot can change any more. */
const settled = (slots: readonly SlotState[]): boolean =>
  slots.every((s) => s.status === 'succeeded' || s.status === 'failed');

export { type SlotState, type SlotStatus, settled, slotStates };
