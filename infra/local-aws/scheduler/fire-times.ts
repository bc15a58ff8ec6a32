import { compileAwsCron } from './aws-cron.ts';
import type { ScheduleExpression, WallTime } from './schedule-expression.ts';
import { instantsOf, wallAt, wallMs } from './zoned-time.ts';

// How far ahead a schedule looks for its next firing (a cron naming a year further away never fires).
const HORIZON_MS = 5 * 366 * 86_400_000;

const wallOf = (ms: number): WallTime => wallAt(ms, 'UTC');

/** A compiled schedule: its next firing after an instant. */
export type NextFireTime = (afterMs: number) => number | undefined;

/**
 * The firing times of a schedule expression in a time zone, as EventBridge Scheduler documents them
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time):
 * cron is read on the zone's wall clock; "when the time shifts forward in Spring, your schedule
 * invocation gets skipped if the cron expression falls on a non-existent date and time. When the
 * time shifts back in the Fall, your schedule runs only once"; rate counts fixed periods from
 * `anchor` (a day is 24 hours, whatever the clock does); at() fires once, at its wall time.
 */
export const fireTimesOf = (
  expression: ScheduleExpression,
  timeZone: string,
  anchorMs: number,
): NextFireTime => {
  if (expression.kind === 'rate') {
    const period = expression.periodMs;
    return (after) => anchorMs + (Math.floor((after - anchorMs) / period) + 1) * period;
  }
  if (expression.kind === 'at') {
    const at = instantsOf(expression.wall, timeZone)[0];
    return (after) => (at !== undefined && at > after ? at : undefined);
  }
  const cron = compileAwsCron(expression.fields);
  return (after) => {
    let cursor = wallMs(wallAt(after, timeZone));
    const until = cursor + HORIZON_MS;
    for (;;) {
      const wall = cron.nextWall(cursor, until);
      if (wall === undefined) return undefined;
      // No instant: the clocks skip this wall time. An earlier first instant: this wall time is
      // being shown a second time, and it already fired the first time.
      const first = instantsOf(wallOf(wall), timeZone)[0];
      if (first !== undefined && first > after) return first;
      cursor = wall;
    }
  };
};
