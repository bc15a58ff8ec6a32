import * as v from 'valibot';
import { routeIssues } from '#alerts/config.ts';
import { scheduleIssues } from '#batch/config.ts';
import { deepFreeze } from '#kernel/config/sections.ts';
import { ConfigError } from '#kernel/errors.ts';
import { toFieldIssues } from '#kernel/events/schema-helpers.ts';
import { type Config, configSchema } from './schema.ts';

/**
 * Validates configuration data and fills in defaults. Throws ConfigError naming every bad field
 * (`alerts.slack.webhookUrlParameter: ...`); `source` says where the data came from. The batch
 * jobs' schedules and time zones are checked too (see scheduleIssues), and the alert routes'
 * destinations (routeIssues).
 */
const parseConfig = (data: unknown, source: string): Config => {
  const result = v.safeParse(configSchema(), data ?? {});
  const issues = [
    ...(result.success ? [] : toFieldIssues(result.issues, { echo: true })),
    ...scheduleIssues(data),
    ...(result.success ? routeIssues(result.output.alerts) : []),
  ];
  if (!result.success || issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze(result.output);
};

export { parseConfig };
