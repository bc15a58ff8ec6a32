import * as v from 'valibot';
import { ConfigError } from '../core/errors.ts';
import { toFieldIssues } from '../events/schema-helpers.ts';
import { scheduleIssues } from './batch-jobs.ts';
import { type Config, configSchema } from './schema.ts';
import { deepFreeze } from './sections.ts';

/**
 * Validates configuration data and fills in defaults. Throws ConfigError naming every bad field
 * (`alerts.slack.webhookUrlParameter: ...`); `source` says where the data came from. The batch
 * jobs' schedules and time zones are checked too (see scheduleIssues).
 */
const parseConfig = (data: unknown, source: string): Config => {
  const result = v.safeParse(configSchema(), data ?? {});
  const issues = [...(result.success ? [] : toFieldIssues(result.issues)), ...scheduleIssues(data)];
  if (!result.success || issues.length > 0) throw new ConfigError(source, issues);
  return deepFreeze(result.output);
};

export { parseConfig };
