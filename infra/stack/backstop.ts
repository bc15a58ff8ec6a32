import { ConfigError } from '#kernel/errors.ts';

const DEFAULT_BACKSTOP_MINUTES = 15;

/**
 * The backstop schedule of the checks that otherwise run only when woken (the deployment guard's
 * sweep, the batch periodic check): HARBORMASTER_BACKSTOP_MINUTES at packaging, 15 by default. It
 * bounds how late a due deadline, bake end or run check can be when its wake-up was lost (a
 * CreateSchedule that failed for good, an invocation Scheduler dropped).
 */
const backstopSchedule = (value = process.env.HARBORMASTER_BACKSTOP_MINUTES): string => {
  const minutes = value === undefined || value === '' ? DEFAULT_BACKSTOP_MINUTES : Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    throw new ConfigError('the packaging environment', [
      {
        path: 'HARBORMASTER_BACKSTOP_MINUTES',
        message: 'must be a whole number of minutes from 1 to 1440',
      },
    ]);
  // rate() takes the singular unit for 1 and the plural otherwise.
  return minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`;
};

export { backstopSchedule, DEFAULT_BACKSTOP_MINUTES };
