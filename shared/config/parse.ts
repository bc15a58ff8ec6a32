import { ConfigError } from '../core/errors.ts';
import { toFieldIssues } from '../events/schema-helpers.ts';
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
 * (`alerts.slack.webhookUrlParameter: ...`); `source` says where the data came from.
 */
const parseConfig = (data: unknown, source: string): Config => {
  const result = configSchema.safeParse(data ?? {});
  if (!result.success) throw new ConfigError(source, toFieldIssues(result.error));
  return deepFreeze(result.data);
};

export { parseConfig };
