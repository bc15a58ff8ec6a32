import type { JobConfig } from './config.ts';
import type { JobRun, Watermark } from './records.ts';
import { scheduledRunKey } from './run-ids.ts';
import type { fireTimes } from './schedule/fire-times.ts';
import { parseScheduleExpression } from './schedule/schedule-expression.ts';

/** Scheduled times checked per job and per check, so a long outage is reported in bounded steps. */
const MAX_TIMES_PER_CHECK = 100;
// A run counts as missed once its invocation could no longer start it: after the start window,
// plus a margin for Lambda's asynchronous queue.
const MARGIN_MS = 2 * 60_000;

/** Computes when a schedule fires (croner underneath: loaded with the periodic check's state). */
type FireTimes = typeof fireTimes;

interface MissedRuns {
  /** Scheduled times that have no run record. */
  missed: Date[];
  /** Where the check got to (undefined: nothing to record). */
  watermark: Watermark | undefined;
}

/**
 * The scheduled times of a job that never produced a run (pure). Only the expected schedule can
 * tell a run is missing, so the times since the last check are computed from the expression (in
 * its time zone) and compared with the job's run records. The first check of a job, or of a
 * changed schedule, only records where it starts. Rate schedules count from their latest
 * scheduled run (their start date is the deployment's); a job that never ran is not checked.
 */
const findMissedRuns = (
  config: JobConfig,
  watermark: Watermark | undefined,
  runs: readonly JobRun[],
  now: Date,
  fireTimes: FireTimes,
): MissedRuns => {
  const cutoff = new Date(now.getTime() - config.startWindowMinutes * 60_000 - MARGIN_MS);
  const mark = (at: Date): Watermark => ({
    at: at.toISOString(),
    schedule: config.schedule,
    timezone: config.timezone,
  });
  if (!config.enabled) return { missed: [], watermark: undefined };
  // Before its first check, nothing says the schedule existed: checking starts now.
  if (
    !watermark ||
    watermark.schedule !== config.schedule ||
    watermark.timezone !== config.timezone
  )
    return { missed: [], watermark: mark(now) };
  if (cutoff.getTime() <= new Date(watermark.at).getTime())
    return { missed: [], watermark: undefined };
  const expression = parseScheduleExpression(config.schedule);
  const scheduled = runs.filter((r) => r.trigger === 'schedule');
  const anchor = scheduled
    .map((r) => new Date(r.scheduledAt))
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const times = fireTimes(expression, config.timezone, {
    after: new Date(watermark.at),
    until: cutoff,
    anchor,
    limit: MAX_TIMES_PER_CHECK,
  });
  const recorded = new Set(scheduled.map((r) => r.runKey));
  const missed = times.filter((t) => !recorded.has(scheduledRunKey(t)));
  const reached = times.length === MAX_TIMES_PER_CHECK ? (times.at(-1) as Date) : cutoff;
  return { missed, watermark: mark(reached) };
};

/**
 * When the next scheduled run of a job would count as missed, if it never starts: its next fire
 * time whose start window is still open, plus the window and the margin (a second past, so the
 * check that runs then counts it). The periodic check is woken then, so a missed run is reported
 * as soon as it can be, without a check every minute.
 */
const nextMissedCheck = (
  config: JobConfig,
  runs: readonly JobRun[],
  now: Date,
  fireTimes: FireTimes,
): Date | undefined => {
  if (!config.enabled) return undefined;
  const graceMs = config.startWindowMinutes * 60_000 + MARGIN_MS;
  const anchor = runs
    .filter((r) => r.trigger === 'schedule')
    .map((r) => new Date(r.scheduledAt))
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const recorded = new Set(runs.filter((r) => r.trigger === 'schedule').map((r) => r.runKey));
  // The next few times: one whose run already started needs no look.
  const next = fireTimes(parseScheduleExpression(config.schedule), config.timezone, {
    after: new Date(now.getTime() - graceMs),
    until: new Date(now.getTime() + 8 * 86_400_000),
    anchor,
    limit: 3,
  }).find((t) => !recorded.has(scheduledRunKey(t)));
  return next ? new Date(next.getTime() + graceMs + 1000) : undefined;
};

export { type FireTimes, findMissedRuns, type MissedRuns, nextMissedCheck };
