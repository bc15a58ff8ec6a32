import type { WallTime } from './zoned-time.ts';

/**
 * EventBridge Scheduler's schedule expressions (cron, rate, at), validated by AWS's rules. This file
 * has no dependency, so the configuration schema (loaded by every function) stays small; the times
 * an expression fires are computed in fire-times.ts.
 */
type ScheduleExpression =
  | { kind: 'cron'; text: string; fields: CronFields }
  | { kind: 'rate'; text: string; value: number; unit: RateUnit; periodMs: number }
  | { kind: 'at'; text: string; wall: WallTime };

interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

type RateUnit = 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days';

const UNIT_MS: Record<RateUnit, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRule {
  name: keyof CronFields;
  label: string;
  min: number;
  max: number;
  /** Characters allowed besides digits, names, `,`, `-`, `*` and `/`. */
  special: RegExp;
  names?: string[];
}

// AWS's table (EventBridge Scheduler "Cron-based schedules"): values and wildcards per field.
const FIELDS: FieldRule[] = [
  { name: 'minutes', label: 'minutes', min: 0, max: 59, special: /^$/ },
  { name: 'hours', label: 'hours', min: 0, max: 23, special: /^$/ },
  { name: 'dayOfMonth', label: 'day-of-month', min: 1, max: 31, special: /^(\?|L|\d{1,2}W)$/ },
  { name: 'month', label: 'month', min: 1, max: 12, special: /^$/, names: MONTHS },
  {
    name: 'dayOfWeek',
    label: 'day-of-week',
    min: 1,
    max: 7,
    special: /^(\?|L|[1-7]L|[1-7]#[1-5])$/,
    names: DAYS,
  },
  { name: 'year', label: 'year', min: 1970, max: 2199, special: /^$/ },
];

class ScheduleExpressionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

const fail = (message: string): never => {
  throw new ScheduleExpressionError(message);
};

const fieldValue = (token: string, rule: FieldRule): number => {
  const named = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(token)) return fail(`${rule.label}: "${token}" is not a value`);
  const value = Number(token);
  if (value < rule.min || value > rule.max)
    fail(`${rule.label}: ${value} is outside ${rule.min}-${rule.max}`);
  return value;
};

const checkField = (text: string, rule: FieldRule): void => {
  for (const item of text.split(',')) {
    if (item === '') fail(`${rule.label}: empty list item in "${text}"`);
    if (item === '*' || rule.special.test(item.toUpperCase())) {
      if (item.endsWith('W')) fieldValue(item.slice(0, -1), rule);
      if (/#/.test(item)) fieldValue(item.split('#')[0] ?? '', rule);
      continue;
    }
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined) fail(`${rule.label}: "${item}" has more than one "/"`);
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1))
      fail(`${rule.label}: "${item}" needs a positive increment after "/"`);
    if (range === '*') continue;
    const [from = '', to, more] = range.split('-');
    if (more !== undefined) fail(`${rule.label}: "${item}" is not a range`);
    const start = fieldValue(from, rule);
    if (to !== undefined && fieldValue(to, rule) < start)
      fail(`${rule.label}: "${item}" runs backwards`);
  }
};

const parseCron = (text: string, body: string): ScheduleExpression => {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6)
    fail(
      `cron() takes 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    );
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = parts;
  const fields: CronFields = { minutes, hours, dayOfMonth, month, dayOfWeek, year };
  for (const rule of FIELDS) checkField(fields[rule.name], rule);
  if ((dayOfMonth === '?') === (dayOfWeek === '?'))
    fail('exactly one of day-of-month and day-of-week must be "?"');
  return { kind: 'cron', text, fields };
};

const parseRate = (text: string, body: string): ScheduleExpression => {
  const match = /^\s*(\d+)\s+(minutes?|hours?|days?)\s*$/.exec(body);
  if (!match?.[1] || !match[2]) return fail('rate() takes "value unit", e.g. rate(5 minutes)');
  const value = Number(match[1]);
  const unit = match[2] as RateUnit;
  if (value < 1) fail('rate() needs a positive value');
  if ((value === 1) !== !unit.endsWith('s'))
    fail(`rate(${value} ${unit}): the unit must be singular for 1 and plural otherwise`);
  return { kind: 'rate', text, value, unit, periodMs: value * UNIT_MS[unit] };
};

const parseAt = (text: string, body: string): ScheduleExpression => {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!match) return fail('at() takes a local date and time, e.g. at(2026-11-21T09:00:00)');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const wall = { year, month, day, hour, minute, second } as WallTime;
  const check = new Date(
    Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second),
  );
  if (
    check.getUTCMonth() !== wall.month - 1 ||
    check.getUTCDate() !== wall.day ||
    wall.hour > 23 ||
    wall.minute > 59 ||
    wall.second > 59
  )
    fail(`at(${body.trim()}) is not a valid date and time`);
  return { kind: 'at', text, wall };
};

/** Parses and validates an EventBridge Scheduler expression; throws ScheduleExpressionError saying why. */
const parseScheduleExpression = (text: string): ScheduleExpression => {
  const match = /^(cron|rate|at)\((.*)\)$/.exec(text.trim());
  if (!match?.[1] || match[2] === undefined)
    return fail('expected cron(...), rate(...) or at(...)');
  if (match[1] === 'cron') return parseCron(text, match[2]);
  if (match[1] === 'rate') return parseRate(text, match[2]);
  return parseAt(text, match[2]);
};

export {
  type CronFields,
  parseScheduleExpression,
  type ScheduleExpression,
  ScheduleExpressionError,
};
