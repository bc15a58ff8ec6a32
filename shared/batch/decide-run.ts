import type { BatchAction } from './actions/index.ts';
import { dueLaunches, expiredChunks } from './launch-plan.ts';
import { failureReason, outcomeOf } from './outcome.ts';
import type { JobRun, LaunchRecord, RunFacts, TaskOutcome } from './records.ts';
import { type AlertRouting, batchAlert } from './run-alerts.ts';
import { type SlotState, settled, slotStates } from './slots.ts';
import type { RunObservation } from './state.ts';

/** What a run decision needs besides the run's records. */
interface RunContext {
  where: { account: string; region: string };
  routing: AlertRouting | undefined;
}

const NOTHING_OBSERVED: RunObservation = { running: [], stopped: [], missing: [] };

// RunTask results "might not be immediately visible": a task unknown to DescribeTasks this soon
// after its launch is not yet lost.
const VISIBILITY_GRACE_MS = 5 * 60_000;
// An unplaced warning is sent by the decisions that closely follow the launch that gave up.
const UNPLACED_ALERT_WINDOW_MS = 3 * 60_000;

// How often the records of a run with open tasks are read in full to look for lost tasks.
const LOST_CHECK_MS = 30 * 60_000;

const ms = (iso: string): number => new Date(iso).getTime();

/** Outcomes of stopped tasks ECS reported that are not recorded yet, and of tasks ECS lost. */
const newOutcomes = (
  run: JobRun,
  facts: RunFacts,
  observed: RunObservation,
  now: Date,
): TaskOutcome[] => {
  const known = new Set(facts.outcomes.map((o) => o.taskArn));
  const found = observed.stopped
    .map((detail) => outcomeOf(detail, run.essentialContainers))
    .filter((o): o is TaskOutcome => o !== undefined && !known.has(o.taskArn));
  const launchedAt = new Map(
    facts.launches.flatMap((l) => l.tasks.map((t) => [t.taskArn, ms(l.requestedAt)] as const)),
  );
  const lost = observed.missing
    .filter(
      (arn) =>
        !known.has(arn) &&
        now.getTime() - (launchedAt.get(arn) ?? now.getTime()) > VISIBILITY_GRACE_MS,
    )
    .map(
      (taskArn): TaskOutcome => ({
        taskArn,
        succeeded: false,
        kind: 'lost',
        started: true,
        essentialExits: [],
        stoppedReason:
          'outcome unknown: ECS no longer knows the task and its STOPPED event never came',
        stoppedAt: now.toISOString(),
      }),
    );
  const unique = new Map([...found, ...lost].map((o) => [o.taskArn, o]));
  return [...unique.values()];
};

const finish = (
  run: JobRun,
  slots: readonly SlotState[],
  outcomes: readonly TaskOutcome[],
  ctx: RunContext,
  now: Date,
  ending: { status: 'succeeded' | 'failed'; reason?: string; failedNow?: Map<number, string> },
): BatchAction[] => {
  const finishedAt = now.toISOString();
  const actions: BatchAction[] = [
    {
      type: 'finish-job-run',
      job: run.job,
      runKey: run.runKey,
      status: ending.status,
      finishedAt,
      ...(ending.reason ? { reason: ending.reason } : {}),
    },
  ];
  if (ending.status === 'succeeded' && ctx.routing?.onSuccess === false) return actions;
  actions.push(
    batchAlert({
      run,
      event: 'finished',
      status: ending.status,
      reason: ending.reason,
      severity: ending.status === 'succeeded' ? 'info' : 'error',
      slots,
      outcomes,
      ...(ending.failedNow ? { failedNow: ending.failedNow } : {}),
      finishedAt,
      where: ctx.where,
      routing: ctx.routing,
    }),
  );
  return actions;
};

const deadlineActions = (
  run: JobRun,
  slots: readonly SlotState[],
  outcomes: readonly TaskOutcome[],
  observed: RunObservation,
  ctx: RunContext,
  now: Date,
): BatchAction[] => {
  const open = slots
    .filter((s) => s.status === 'open' && s.taskArn)
    .map((s) => s.taskArn as string);
  const toStop = [...new Set([...open, ...observed.running])];
  const failedNow = new Map<number, string>();
  for (const slot of slots) {
    if (slot.status === 'open') failedNow.set(slot.slot, 'stopped at the deadline while running');
    else if (slot.status !== 'succeeded' && slot.status !== 'failed')
      failedNow.set(slot.slot, 'deadline passed before it could run again');
  }
  const minutes = Math.round((ms(run.deadlineAt) - ms(run.startedAt)) / 60_000);
  return [
    ...toStop.map(
      (taskArn): BatchAction => ({
        type: 'stop-job-task',
        cluster: run.spec.cluster,
        taskArn,
        reason: `Harbormaster: job ${run.job} run ${run.runKey} passed its ${minutes}-minute deadline`,
      }),
    ),
    ...finish(run, slots, outcomes, ctx, now, {
      status: 'failed',
      reason: `the ${minutes}-minute deadline passed with ${toStop.length} task(s) still running`,
      failedNow,
    }),
  ];
};

/** Unplaced slots that settled by the launch that just gave up: warned about while still fresh. */
const unplacedWarning = (
  run: JobRun,
  slots: readonly SlotState[],
  ctx: RunContext,
  now: Date,
): BatchAction[] => {
  const unplaced = slots.filter(
    (s) => s.status === 'failed' && s.reason?.startsWith('not placed') && s.launch,
  );
  const latest = unplaced
    .map((s) => s.launch as LaunchRecord)
    .sort((a, b) => ms(b.requestedAt) - ms(a.requestedAt))[0];
  if (!latest || now.getTime() - ms(latest.requestedAt) > UNPLACED_ALERT_WINDOW_MS) return [];
  return [
    batchAlert({
      run,
      event: 'unplaced',
      status: 'running',
      reason: `RunTask could not place them within the ${Math.round((ms(run.startWindowEndsAt) - ms(run.startedAt)) / 60_000)}-minute start window`,
      severity: 'warning',
      slots: unplaced,
      where: ctx.where,
      routing: ctx.routing,
      dedupSuffix: latest.launchId,
    }),
  ];
};

/**
 * Decides what a running job run needs now (pure): record the task outcomes ECS reported, then
 * either finish it (every slot settled, or the deadline passed: running tasks are stopped) with
 * one summary alert, or launch what is due (first chunks, RunTask again for unplaced slots after
 * a back-off, retries of failed tasks per the job's policy).
 */
const decideRun = (
  run: JobRun,
  facts: RunFacts,
  observed: RunObservation,
  ctx: RunContext,
  now: Date,
): BatchAction[] => {
  const outcomes = newOutcomes(run, facts, observed, now);
  const recordOutcomes: BatchAction[] = outcomes.map((outcome) => ({
    type: 'record-task-outcome',
    job: run.job,
    runKey: run.runKey,
    outcome,
  }));
  if (run.status !== 'running') return recordOutcomes;
  // Each failure as it happens, in the run's Slack app thread (the summary counts them all).
  const failures: BatchAction[] = outcomes
    .filter((outcome) => !outcome.succeeded)
    .map((outcome) =>
      batchAlert({
        run,
        event: 'task-failed',
        status: 'running',
        severity: 'warning',
        where: ctx.where,
        routing: ctx.routing,
        dedupSuffix: outcome.taskArn,
        at: outcome.stoppedAt,
        threadOnly: true,
        failedTask: { taskArn: outcome.taskArn, reason: failureReason(outcome) },
      }),
    );
  const withOutcomes: RunFacts = { ...facts, outcomes: [...facts.outcomes, ...outcomes] };
  const expired = expiredChunks(run, slotStates(run, withOutcomes), now);
  const current: RunFacts = { ...withOutcomes, launches: [...withOutcomes.launches, ...expired] };
  const slots = slotStates(run, current);
  const recordExpired: BatchAction[] = expired.map((launch) => ({
    type: 'record-job-launch',
    job: run.job,
    runKey: run.runKey,
    launch,
  }));
  const recorded = [...recordOutcomes, ...failures, ...recordExpired];
  if (now.getTime() >= ms(run.deadlineAt))
    return [...recorded, ...deadlineActions(run, slots, current.outcomes, observed, ctx, now)];
  if (settled(slots)) {
    const failed = slots.filter((s) => s.status === 'failed').length;
    return [
      ...recorded,
      ...finish(
        run,
        slots,
        current.outcomes,
        ctx,
        now,
        failed === 0 ? { status: 'succeeded' } : { status: 'failed' },
      ),
    ];
  }
  const launches = dueLaunches(run, slots, now);
  return [
    ...recorded,
    ...(launches.length > 0
      ? [
          {
            type: 'launch-job-tasks' as const,
            job: run.job,
            runKey: run.runKey,
            startedBy: run.startedBy,
            spec: run.spec,
            launches,
          },
        ]
      : []),
    ...unplacedWarning(run, slots, ctx, now),
  ];
};

/**
 * When the periodic check must next read all of a running run's records: when a retry or a
 * RunTask call is due, at the deadline, at once after launching (a launch cut short by the
 * invocation's time is carried on), and every LOST_CHECK_MS while tasks are open (a task whose
 * STOPPED event was lost must be found before ECS forgets it, an hour after it stopped).
 */
const nextCheck = (
  run: JobRun,
  slots: readonly SlotState[],
  launching: boolean,
  now: Date,
): BatchAction => {
  const times = [ms(run.deadlineAt)];
  if (launching) times.push(now.getTime());
  for (const slot of slots) {
    if (slot.dueAt) times.push(slot.dueAt.getTime());
    if (slot.status === 'open') times.push(now.getTime() + LOST_CHECK_MS);
  }
  return {
    type: 'schedule-run-check',
    job: run.job,
    runKey: run.runKey,
    at: new Date(Math.min(...times)).toISOString(),
  };
};

/** A run decision's actions, with the run's next full check when it stays running. */
const withNextCheck = (
  run: JobRun,
  facts: RunFacts,
  actions: BatchAction[],
  now: Date,
): BatchAction[] => {
  if (run.status !== 'running' || actions.some((a) => a.type === 'finish-job-run')) return actions;
  const after: RunFacts = {
    launches: [
      ...facts.launches,
      ...actions.flatMap((a) => (a.type === 'record-job-launch' ? [a.launch] : [])),
    ],
    outcomes: [
      ...facts.outcomes,
      ...actions.flatMap((a) => (a.type === 'record-task-outcome' ? [a.outcome] : [])),
    ],
  };
  const launching = actions.some((a) => a.type === 'launch-job-tasks');
  return [...actions, nextCheck(run, slotStates(run, after), launching, now)];
};

/** Whether a run still has work: a slot not settled, per its records and what ECS runs for it. */
const isActive = (run: JobRun, facts: RunFacts, running: readonly string[]): boolean =>
  run.status === 'running' && (running.length > 0 || !settled(slotStates(run, facts)));

/** The open task ARNs of a run (launched, no outcome recorded). */
const openTasks = (run: JobRun, facts: RunFacts): string[] =>
  slotStates(run, facts)
    .filter((s) => s.status === 'open' && s.taskArn)
    .map((s) => s.taskArn as string);

export { decideRun, isActive, NOTHING_OBSERVED, openTasks, type RunContext, withNextCheck };
