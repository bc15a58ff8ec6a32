import { describe, expect, it } from 'vitest';
import { fireTimesOf } from '../scheduler/fire-times.ts';
import { parseScheduleExpression } from '../scheduler/schedule-expression.ts';

// Cron fields, wildcards and DST handling as documented on
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (cron-based schedules,
// daylight savings time) and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html.

/** The first `count` firing times after `from`, as ISO strings. */
const firings = (expression: string, timeZone: string, from: string, count = 3): string[] => {
  const anchor = Date.parse(from);
  const next = fireTimesOf(parseScheduleExpression(expression), timeZone, anchor);
  const out: string[] = [];
  let after = anchor;
  for (let i = 0; i < count; i += 1) {
    const at = next(after);
    if (at === undefined) break;
    out.push(new Date(at).toISOString());
    after = at;
  }
  return out;
};

describe('Scheduler cron expressions (schedule-types.html#cron-based)', () => {
  it('reads day-of-week 1-7 from Sunday: MON-FRI, and 2/2 as Monday, Wednesday, Friday (never Sunday)', () => {
    expect(firings('cron(0 18 ? * MON-FRI *)', 'UTC', '2026-03-06T19:00:00Z')).toStrictEqual([
      '2026-03-09T18:00:00.000Z',
      '2026-03-10T18:00:00.000Z',
      '2026-03-11T18:00:00.000Z',
    ]);
    expect(firings('cron(0 12 ? * 2/2 *)', 'UTC', '2026-03-01T00:00:00Z', 4)).toStrictEqual([
      '2026-03-02T12:00:00.000Z',
      '2026-03-04T12:00:00.000Z',
      '2026-03-06T12:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
    ]);
    expect(firings('cron(0 12 ? * 1 *)', 'UTC', '2026-03-01T13:00:00Z', 1)).toStrictEqual([
      '2026-03-08T12:00:00.000Z',
    ]);
  });

  it('takes L as the last day of the month or week, and 6L as the last Friday', () => {
    expect(firings('cron(0 12 L * ? *)', 'UTC', '2026-02-01T00:00:00Z', 2)).toStrictEqual([
      '2026-02-28T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
    ]);
    expect(firings('cron(0 12 ? * L *)', 'UTC', '2026-03-01T00:00:00Z', 1)).toStrictEqual([
      '2026-03-07T12:00:00.000Z',
    ]);
    expect(firings('cron(0 10 ? * 6L *)', 'UTC', '2026-03-01T00:00:00Z', 2)).toStrictEqual([
      '2026-03-27T10:00:00.000Z',
      '2026-04-24T10:00:00.000Z',
    ]);
  });

  it('takes 3#2 as the second Tuesday of the month', () => {
    expect(firings('cron(0 8 ? * 3#2 *)', 'UTC', '2026-03-01T00:00:00Z', 2)).toStrictEqual([
      '2026-03-10T08:00:00.000Z',
      '2026-04-14T08:00:00.000Z',
    ]);
  });

  it('takes 3W as the weekday nearest the 3rd, never leaving the month', () => {
    // 2026-01-03 is a Saturday (→ Friday 2nd); 2026-02-03 a Tuesday; 2026-08-01 a Saturday, and
    // 1W then moves forward to Monday the 3rd rather than into July.
    expect(firings('cron(0 9 3W * ? *)', 'UTC', '2026-01-01T00:00:00Z', 2)).toStrictEqual([
      '2026-01-02T09:00:00.000Z',
      '2026-02-03T09:00:00.000Z',
    ]);
    expect(firings('cron(0 9 1W 8 ? *)', 'UTC', '2026-07-01T00:00:00Z', 1)).toStrictEqual([
      '2026-08-03T09:00:00.000Z',
    ]);
  });

  it('honours the year field and minute increments', () => {
    expect(firings('cron(0 8 1 * ? 2027-2028)', 'UTC', '2026-05-01T00:00:00Z', 1)).toStrictEqual([
      '2027-01-01T08:00:00.000Z',
    ]);
    expect(firings('cron(0 8 1 1 ? 2025)', 'UTC', '2026-05-01T00:00:00Z', 1)).toStrictEqual([]);
    expect(firings('cron(5/20 * * * ? *)', 'UTC', '2026-05-01T00:00:00Z')).toStrictEqual([
      '2026-05-01T00:05:00.000Z',
      '2026-05-01T00:25:00.000Z',
      '2026-05-01T00:45:00.000Z',
    ]);
  });

  it('refuses what AWS refuses: both day fields set, a value out of range, a rate unit of the wrong number', () => {
    expect(() => parseScheduleExpression('cron(0 12 * * * *)')).toThrow(/\?/);
    expect(() => fireTimesOf(parseScheduleExpression('cron(0 12 ? * 8 *)'), 'UTC', 0)).toThrow(
      /day-of-week/,
    );
    expect(() => fireTimesOf(parseScheduleExpression('cron(60 12 * * ? *)'), 'UTC', 0)).toThrow();
    expect(() => fireTimesOf(parseScheduleExpression('cron(0 12 * * ? 1969)'), 'UTC', 0)).toThrow(
      /year/,
    );
    expect(() => parseScheduleExpression('rate(1 minutes)')).toThrow(/singular/);
    expect(() => parseScheduleExpression('rate(5 minute)')).toThrow(/plural/);
    expect(() => parseScheduleExpression('cron(0 12 * * ?)')).toThrow(/year/);
  });
});

describe('Scheduler time zones and daylight saving time (schedule-types.html#daylist-savings-time)', () => {
  it('evaluates cron on the zone\u2019s wall clock', () => {
    expect(firings('cron(0 9 * * ? *)', 'Europe/Berlin', '2026-03-27T00:00:00Z')).toStrictEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
    ]);
  });

  it('skips a wall time the clocks skip in spring', () => {
    // America/New_York jumps from 02:00 to 03:00 on 2026-03-08.
    expect(firings('cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z')).toStrictEqual(
      ['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z'],
    );
  });

  it('runs a wall time the clocks show twice in autumn only once', () => {
    // America/New_York goes back from 02:00 EDT to 01:00 EST on 2026-11-01: 01:00-01:59 happen twice.
    expect(firings('cron(30 1 * * ? *)', 'America/New_York', '2026-10-31T12:00:00Z')).toStrictEqual(
      ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', '2026-11-03T06:30:00.000Z'],
    );
    expect(
      firings('cron(0/30 1-2 * * ? *)', 'America/New_York', '2026-11-01T04:00:00Z', 4),
    ).toStrictEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T07:30:00.000Z',
    ]);
  });

  it('counts rate(1 day) as 24 hours whatever the clocks do, and fires at() once at its wall time', () => {
    expect(firings('rate(1 day)', 'Europe/Berlin', '2026-03-28T09:00:00Z', 2)).toStrictEqual([
      '2026-03-29T09:00:00.000Z',
      '2026-03-30T09:00:00.000Z',
    ]);
    expect(
      firings('at(2026-11-21T09:00:00)', 'Europe/Berlin', '2026-11-01T00:00:00Z'),
    ).toStrictEqual(['2026-11-21T08:00:00.000Z']);
  });
});
