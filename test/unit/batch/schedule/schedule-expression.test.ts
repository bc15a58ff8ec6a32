import { describe, expect, it } from 'vitest';
import { fireTimes, nextFireTime } from '#batch/schedule/fire-times.ts';
import { parseScheduleExpression } from '#batch/schedule/schedule-expression.ts';

const times = (
  text: string,
  options: { tz?: string; after: string; until: string; anchor?: string; limit?: number },
): string[] =>
  fireTimes(parseScheduleExpression(text), options.tz ?? 'UTC', {
    after: new Date(options.after),
    until: new Date(options.until),
    anchor: options.anchor ? new Date(options.anchor) : undefined,
    limit: options.limit ?? 10,
  }).map((d) => d.toISOString().replace('.000', ''));

const reason = (text: string): string => {
  try {
    parseScheduleExpression(text);
    return 'valid';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('Schedule expressions in EventBridge Scheduler syntax', () => {
  describe('validation by AWS rules', () => {
    it.each([
      ['cron(0 2 * * ? *)', 'valid'],
      ['cron(0/15 8-17 ? * MON-FRI *)', 'valid'],
      ['cron(0 12 L * ? 2026-2030)', 'valid'],
      ['cron(0 12 15W * ? *)', 'valid'],
      ['cron(0 12 ? * 6L *)', 'valid'],
      ['cron(0 12 ? * 2#1 *)', 'valid'],
      ['rate(1 minute)', 'valid'],
      ['rate(5 minutes)', 'valid'],
      ['at(2026-11-21T09:00:00)', 'valid'],
      [
        'cron(0 12 * * *)',
        'cron() takes 6 fields (minutes hours day-of-month month day-of-week year), got 5',
      ],
      ['cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week must be "?"'],
      ['cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week must be "?"'],
      ['cron(0 24 * * ? *)', 'hours: 24 is outside 0-23'],
      ['cron(0 12 ? * 0 *)', 'day-of-week: 0 is outside 1-7'],
      ['cron(0 12 32 * ? *)', 'day-of-month: 32 is outside 1-31'],
      ['cron(0 12 * 13 ? *)', 'month: 13 is outside 1-12'],
      ['cron(0 12 * * ? 1969)', 'year: 1969 is outside 1970-2199'],
      ['cron(0 12 ? * FRI-MON *)', 'day-of-week: "FRI-MON" runs backwards'],
      ['cron(0/0 * * * ? *)', 'minutes: "0/0" needs a positive increment after "/"'],
      ['cron(0 L * * ? *)', 'hours: "L" is not a value'],
      ['rate(1 minutes)', 'rate(1 minutes): the unit must be singular for 1 and plural otherwise'],
      ['rate(5 minute)', 'rate(5 minute): the unit must be singular for 1 and plural otherwise'],
      ['rate(0 minutes)', 'rate() needs a positive value'],
      ['rate(1 week)', 'rate() takes "value unit", e.g. rate(5 minutes)'],
      ['at(2026-02-30T09:00:00)', 'at(2026-02-30T09:00:00) is not a valid date and time'],
      ['0 2 * * *', 'expected cron(...), rate(...) or at(...)'],
    ])('%s: %s', (text, expected) => {
      // Assess
      expect(reason(text)).toBe(expected);
    });
  });

  describe('fire times', () => {
    it.each([
      [
        'cron(0 12 ? * 6L *) is the last Friday of each month',
        'cron(0 12 ? * 6L *)',
        ['2026-03-27T12:00:00Z', '2026-04-24T12:00:00Z', '2026-05-29T12:00:00Z'],
      ],
      [
        'cron(0 12 ? * L *) is the last day of the week, Saturday',
        'cron(0 12 ? * L *)',
        ['2026-03-07T12:00:00Z', '2026-03-14T12:00:00Z', '2026-03-21T12:00:00Z'],
      ],
      [
        'cron(1/20 * * * ? *) starts at minute 1 (croner reads it only as 1-59/20)',
        'cron(1/20 * * * ? *)',
        ['2026-03-01T00:01:00Z', '2026-03-01T00:21:00Z', '2026-03-01T00:41:00Z'],
      ],
      [
        'cron(0 12 15W * ? *) is the weekday nearest the 15th',
        'cron(0 12 15W * ? *)',
        ['2026-03-16T12:00:00Z', '2026-04-15T12:00:00Z', '2026-05-15T12:00:00Z'],
      ],
      [
        'cron(0 12 ? * 2#1 *) is the first Monday (AWS numbers Sunday 1)',
        'cron(0 12 ? * 2#1 *)',
        ['2026-03-02T12:00:00Z', '2026-04-06T12:00:00Z', '2026-05-04T12:00:00Z'],
      ],
      [
        'cron(0 8 1 * ? 2027) waits for its year',
        'cron(0 8 1 * ? 2027)',
        ['2027-01-01T08:00:00Z', '2027-02-01T08:00:00Z', '2027-03-01T08:00:00Z'],
      ],
    ])('%s', (_label, text, expected) => {
      // Act
      const actual = times(text, {
        after: '2026-03-01T00:00:00Z',
        until: '2027-12-31T00:00:00Z',
        limit: 3,
      });
      // Assess
      expect(actual).toStrictEqual(expected);
    });

    it('evaluates cron in the time zone', () => {
      // Assess
      expect(
        times('cron(0 9 ? * MON *)', {
          tz: 'America/New_York',
          after: '2026-11-01T00:00:00Z',
          until: '2026-11-10T00:00:00Z',
        }),
      ).toStrictEqual(['2026-11-02T14:00:00Z', '2026-11-09T14:00:00Z']);
    });

    it('skips a wall time the clock skips, as EventBridge Scheduler does (croner would fire at 03:00)', () => {
      // Assess: Europe/Berlin jumps from 02:00 to 03:00 on 2026-03-29.
      expect(
        times('cron(30 2 * * ? *)', {
          tz: 'Europe/Berlin',
          after: '2026-03-27T12:00:00Z',
          until: '2026-03-31T00:00:00Z',
        }),
      ).toStrictEqual(['2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z']);
    });

    it('fires once for a wall time that happens twice (croner would fire interval jobs twice)', () => {
      // Assess: Europe/Berlin goes back from 03:00 to 02:00 on 2026-10-25.
      expect(
        times('cron(0/30 * * * ? *)', {
          tz: 'Europe/Berlin',
          after: '2026-10-25T00:00:00Z',
          until: '2026-10-25T02:30:00Z',
        }),
      ).toStrictEqual(['2026-10-25T00:30:00Z', '2026-10-25T02:00:00Z', '2026-10-25T02:30:00Z']);
      expect(
        times('cron(30 2 * * ? *)', {
          tz: 'Europe/Berlin',
          after: '2026-10-24T12:00:00Z',
          until: '2026-10-26T12:00:00Z',
        }),
      ).toStrictEqual(['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']);
    });

    it('counts rate schedules from a time they fired, 24-hour days across daylight saving', () => {
      // Assess
      expect(
        times('rate(1 day)', {
          tz: 'Europe/Berlin',
          anchor: '2026-03-28T08:00:00Z',
          after: '2026-03-28T08:00:00Z',
          until: '2026-03-30T09:00:00Z',
        }),
      ).toStrictEqual(['2026-03-29T08:00:00Z', '2026-03-30T08:00:00Z']);
      expect(
        times('rate(5 minutes)', { after: '2026-03-01T00:00:00Z', until: '2026-03-02T00:00:00Z' }),
      ).toStrictEqual([]);
    });

    it('fires an at() schedule once, at the local time of its zone; never if that time does not exist', () => {
      // Assess
      expect(
        times('at(2026-11-21T09:00:00)', {
          tz: 'Europe/Berlin',
          after: '2026-01-01T00:00:00Z',
          until: '2027-01-01T00:00:00Z',
        }),
      ).toStrictEqual(['2026-11-21T08:00:00Z']);
      expect(
        times('at(2026-03-29T02:30:00)', {
          tz: 'Europe/Berlin',
          after: '2026-01-01T00:00:00Z',
          until: '2027-01-01T00:00:00Z',
        }),
      ).toStrictEqual([]);
    });

    it('finds the next fire time', () => {
      // Assess
      expect(
        nextFireTime(
          parseScheduleExpression('cron(0 2 * * ? *)'),
          'Asia/Tokyo',
          new Date('2026-11-21T12:00:00Z'),
        )?.toISOString(),
      ).toBe('2026-11-21T17:00:00.000Z');
    });
  });
});
