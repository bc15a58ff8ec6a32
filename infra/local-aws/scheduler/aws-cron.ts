import { CronExpressionParser } from 'cron-parser';
import type { CronFieldsText } from './schedule-expression.ts';

/**
 * An AWS cron expression (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based)
 * evaluated on wall-clock times by cron-parser, a cron library independent of the product's. AWS
 * fields differ from cron-parser's in three ways this file bridges: day-of-week counts 1-7 from
 * Sunday (cron-parser 0-7, both 0 and 7 Sunday), a sixth field names the year (cron-parser has
 * none) and day-of-month takes `nW`, the weekday nearest day n (cron-parser does not).
 */
export interface AwsCron {
  /** The next matching wall time strictly after `afterWallMs`, up to `untilWallMs` (wall times as UTC ms). */
  nextWall(afterWallMs: number, untilWallMs: number): number | undefined;
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const invalid = (field: string, text: string): never => {
  throw new Error(`invalid cron ${field} "${text}"`);
};

const numberIn = (token: string, min: number, max: number, field: string, names?: string[]) => {
  const named = names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : Number.NaN;
  if (!(value >= min && value <= max)) invalid(field, token);
  return value;
};

/** Expands `*`, `a`, `a-b`, `a/s`, `a-b/s` and `* /s` lists into the values they name. */
const expand = (text: string, min: number, max: number, field: string, names?: string[]) => {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || (stepText !== undefined && !/^[1-9]\d*$/.test(stepText)))
      invalid(field, item);
    const step = stepText === undefined ? 1 : Number(stepText);
    const [fromText = '', toText, more] = range.split('-');
    if (more !== undefined) invalid(field, item);
    const from = range === '*' ? min : numberIn(fromText, min, max, field, names);
    const to =
      range === '*' || (toText === undefined && stepText !== undefined)
        ? max
        : toText === undefined
          ? from
          : numberIn(toText, min, max, field, names);
    if (to < from) invalid(field, item);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
};

// Day-of-week in cron-parser's numbering; `L` alone is the last day of the week, Saturday.
const dayOfWeekFor = (text: string): string => {
  if (text === '?' || text === '*') return text;
  if (text.toUpperCase() === 'L') return '6';
  const last = /^([1-7])L$/i.exec(text);
  if (last) return `${Number(last[1]) - 1}L`;
  const nth = /^([1-7])#([1-5])$/.exec(text);
  if (nth) return `${Number(nth[1]) - 1}#${nth[2]}`;
  return [...expand(text, 1, 7, 'day-of-week', DAY_NAMES)].map((d) => d - 1).join(',');
};

/** The weekday (Monday to Friday) nearest day `n` of a month, never leaving the month. */
export const nearestWeekday = (year: number, month: number, n: number): number => {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(n, last);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
};

/** Compiles the six AWS fields; throws when a field is not one AWS documents. */
export const compileAwsCron = (fields: CronFieldsText): AwsCron => {
  const weekdayOf = /^([1-9]|[12]\d|3[01])W$/i.exec(fields.dayOfMonth);
  const dayOfMonth = weekdayOf ? '*' : fields.dayOfMonth;
  const expression = [
    '0',
    fields.minutes,
    fields.hours,
    dayOfMonth,
    fields.month,
    dayOfWeekFor(fields.dayOfWeek),
  ].join(' ');
  const years = expand(fields.year, 1970, 2199, 'year');
  const parse = (after: number) =>
    CronExpressionParser.parse(expression, { currentDate: new Date(after), tz: 'UTC' });
  parse(Date.UTC(2026, 0, 1)); // cron-parser validates the other fields here
  const weekdayDay = weekdayOf ? Number(weekdayOf[1]) : undefined;
  return {
    nextWall: (afterWallMs, untilWallMs) => {
      let times = parse(afterWallMs);
      for (;;) {
        const candidate = times.next().getTime();
        if (candidate > untilWallMs) return undefined;
        const at = new Date(candidate);
        const year = at.getUTCFullYear();
        if (!years.has(year)) {
          const nextYear = [...years].filter((y) => y > year).sort((a, b) => a - b)[0];
          if (nextYear === undefined) return undefined;
          times = parse(Date.UTC(nextYear, 0, 1) - 1000);
          continue;
        }
        const month = at.getUTCMonth() + 1;
        if (
          weekdayDay !== undefined &&
          at.getUTCDate() !== nearestWeekday(year, month, weekdayDay)
        ) {
          times = parse(Date.UTC(year, month - 1, at.getUTCDate() + 1) - 1000);
          continue;
        }
        return candidate;
      }
    },
  };
};
