/**
 * EventBridge schedule expressions: `cron(...)` (6 fields, in the schedule's time zone), `rate(...)`
 * and `at(...)`, read as EventBridge Scheduler documents them
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html). Written apart from
 * Harbormaster's own schedule code, so that the product's cron handling is tested against an
 * independent reading of the same rules.
 */

/** A wall-clock date and time (no time zone). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The six fields of an AWS cron expression, as written. */
export interface CronFieldsText {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

/** A parsed schedule expression. */
export type ScheduleExpression =
  | { kind: 'cron'; text: string; fields: CronFieldsText }
  | { kind: 'rate'; text: string; periodMs: number }
  | { kind: 'at'; text: string; wall: WallTime };

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

const fail = (text: string, why: string): never => {
  throw new Error(`invalid schedule expression ${text}: ${why}`);
};

const parseCron = (text: string, body: string): ScheduleExpression => {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6)
    fail(text, 'cron() takes minutes, hours, day-of-month, month, day-of-week and year');
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = parts;
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you
  // specify a value or a * in one of the fields, you must use a ? in the other."
  if ((dayOfMonth === '?') === (dayOfWeek === '?'))
    fail(text, 'one (and only one) of day-of-month and day-of-week must be ?');
  return { kind: 'cron', text, fields: { minutes, hours, dayOfMonth, month, dayOfWeek, year } };
};

const parseRate = (text: string, body: string): ScheduleExpression => {
  const match = /^\s*(\d+)\s+(minute|hour|day)(s?)\s*$/.exec(body);
  if (match === null) return fail(text, 'rate() takes a positive value and minutes, hours or days');
  const value = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  if (value < 1) fail(text, 'the value must be positive');
  // "If the value is equal to 1, then the unit must be singular."
  if ((value === 1) === (match[3] === 's'))
    fail(text, 'the unit is singular for 1 and plural otherwise');
  return { kind: 'rate', text, periodMs: value * UNIT_MS[unit] };
};

const parseAt = (text: string, body: string): ScheduleExpression => {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (match === null) return fail(text, 'at() takes yyyy-mm-ddThh:mm:ss');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    fail(text, 'not a calendar date and time');
  return { kind: 'at', text, wall: { year, month, day, hour, minute, second } };
};

/** Parses `cron(...)`, `rate(...)` or `at(...)`; throws saying why when AWS would refuse it. */
export const parseScheduleExpression = (text: string): ScheduleExpression => {
  const match = /^(cron|rate|at)\((.*)\)$/.exec(text.trim());
  if (match === null) return fail(text, 'expected cron(...), rate(...) or at(...)');
  const body = match[2] ?? '';
  if (match[1] === 'cron') return parseCron(text, body);
  if (match[1] === 'rate') return parseRate(text, body);
  return parseAt(text, body);
};
