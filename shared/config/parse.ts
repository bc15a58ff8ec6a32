import { ConfigError } from '../core/errors.ts';
import { toFieldIssues } from '../events/schema-helpers.ts';
import { scheduleIssues } from './batch-jobs.ts';
import { type Config, configSchema } from './schema.ts';

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

/**
 * Validates configuration data and fills in defaults. Throws ConfigError naming every bad field
 * (`alerts.slack.webhookUrlParameter: ...`); `source` says where the data came from. `schedules:
 * false` skips the batch jobs' schedule and time-zone checks (for cold starts, see scheduleIssues).
 */
const parseConfig = (
  data: unknown,
  source: string,
  options: { schedules?: boolean } = {},
): Config => {
  const result = configSchema.safeParse(data ?? {});
  const issues = [
    ...(result.success ? [] : toFieldIssues(result.error)),
    ...(options.schedules === false ? [] : scheduleIssues(data)),
  ];
  if (!result.success || issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze(result.data);
};

export { parseConfig };
