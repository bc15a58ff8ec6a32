import { Cron } from 'croner';
import type { CronFields, ScheduleExpression } from './schedule-expression.ts';
import { instantOf, isRepeatedWallTime, type WallTime, wallTime } from './zoned-time.ts';

// croner reads "a/b" only as "a-max/b", and a lone "L" in day-of-week (AWS: the last day of the
// week, Saturday) not at all; "?" is its wildcard alias. With AND logic, "?" restricts nothing.
const MAX_OF: Record<keyof CronFields, number> = {
  minutes: 59,
  hours: 23,
  dayOfMonth: 31,
  month: 12,
  dayOfWeek: 7,
  year: 2199,
};

const adaptField = (text: string, name: keyof CronFields): string =>
  text
    .split(',')
    .map((item) => {
      if (item === '?') return '*';
      if (name === 'dayOfWeek' && item.toUpperCase() === 'L') return '7';
      const step = /^(\d+|[A-Za-z]{3})\/(\d+)$/.exec(item);
      return step ? `${step[1]}-${MAX_OF[name]}/${step[2]}` : item;
    })
    .join(',');

/** A croner job for AWS cron fields (throws croner's message if it cannot read them). */
const cronFor = (fields: CronFields, timeZone: string): Cron =>
  new Cron(
    [
      '0',
      adaptField(fields.minutes, 'minutes'),
      adaptField(fields.hours, 'hours'),
      adaptField(fields.dayOfMonth, 'dayOfMonth'),
      adaptField(fields.month, 'month'),
      adaptField(fields.dayOfWeek, 'dayOfWeek'),
      adaptField(fields.year, 'year'),
    ].join(' '),
    {
      mode: '7-part',
      alternativeWeekdays: true,
      domAndDow: true,
      timezone: timeZone,
      paused: true,
    },
  );

// A UTC twin of the expression tells whether a wall-clock time matches it.
const matchesWallTime = (twin: Cron, wall: WallTime): boolean =>
  twin.match(new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, 0)));

/**
 * The times a schedule fires after `after` (exclusive) up to `until` (inclusive), at most `limit`.
 * Rate schedules need `anchor`, a time they fired (they count from their start date, which only
 * the deployment knows). Cron times follow EventBridge Scheduler across daylight-saving changes: a
 * wall time the clock skips does not fire, a wall time that happens twice fires once.
 */
const fireTimes = (
  expression: ScheduleExpression,
  timeZone: string,
  range: { after: Date; until: Date; anchor?: Date | undefined; limit?: number },
): Date[] => {
  const limit = range.limit ?? 1000;
  const { after, until } = range;
  if (expression.kind === 'at') {
    const at = instantOf(expression.wall, timeZone);
    return at && at > after && at <= until ? [at] : [];
  }
  if (expression.kind === 'rate') {
    if (!range.anchor) return [];
    const period = expression.periodMs;
    const first = Math.floor((after.getTime() - range.anchor.getTime()) / period) + 1;
    const times: Date[] = [];
    for (let k = first; times.length < limit; k += 1) {
      const at = range.anchor.getTime() + k * period;
      if (at > until.getTime()) break;
      if (at > after.getTime()) times.push(new Date(at));
    }
    return times;
  }
  const cron = cronFor(expression.fields, timeZone);
  const twin = cronFor(expression.fields, 'UTC');
  const times: Date[] = [];
  let cursor: Date | null = after;
  while (times.length < limit) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor > until) break;
    // croner moves a skipped wall time to the end of the gap and fires interval jobs twice in a
    // repeated hour; EventBridge Scheduler does neither.
    if (!matchesWallTime(twin, wallTime(cursor, timeZone))) continue;
    if (isRepeatedWallTime(cursor, timeZone)) continue;
    times.push(cursor);
  }
  return times;
};

/** The next time a schedule fires after `after`, if any (rate schedules need an anchor). */
const nextFireTime = (
  expression: ScheduleExpression,
  timeZone: string,
  after: Date,
  anchor?: Date,
): Date | undefined =>
  fireTimes(expression, timeZone, {
    after,
    until: new Date(after.getTime() + 400 * 86_400_000 * 50),
    anchor,
    limit: 1,
  })[0];

export { cronFor, fireTimes, nextFireTime };
