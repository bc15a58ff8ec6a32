import { DEFAULT_RESERVED_CONCURRENCY } from '#config/concurrency.ts';
import { loadConfigFile } from '#config/load-file.ts';
import type { Config } from '#config/schema.ts';
import { functionAlarms } from './alarms.ts';
import { backstopSchedule } from './backstop.ts';
import { batchJobsResources } from './batch-jobs.ts';
import { ecsChangesResources } from './ecs-changes.ts';
import { alertRoutingPolicies, slackWebhookPolicy } from './slack-policy.ts';

/** A function as serverless.yml declares it (only the keys used here). */
interface FunctionDeclaration {
  role?: string;
}

type Resources = Record<string, unknown>;

/** Each function's reserved concurrency: the configured value, else its default. */
const reservedConcurrency = (config: Config): Record<string, number> => ({
  ...DEFAULT_RESERVED_CONCURRENCY,
  ...config.reservedConcurrency,
});

/**
 * Validates the configuration file and derives the stack parts that depend on it or on the
 * function list: an Errors alarm per function, the ECS changes the scope allows, each function's
 * reserved concurrency and, when Slack is configured, read access to the webhook parameter for
 * every function role. Warnings (a scope of "*") are printed, not fatal.
 */
const describeStack = (input: {
  configFile: string;
  functions: Record<string, FunctionDeclaration>;
}) => {
  const config: Config = loadConfigFile(input.configFile);
  const roles = Object.values(input.functions)
    .map((fn) => fn.role)
    .filter((role): role is string => !!role);
  const ecsChanges = ecsChangesResources(config);
  const resources: Resources = {
    ...functionAlarms(Object.keys(input.functions)),
    ...batchJobsResources(config),
    ...ecsChanges.resources,
    ...(config.alerts.slack
      ? slackWebhookPolicy(config.alerts.slack.webhookUrlParameter, roles)
      : {}),
    ...alertRoutingPolicies(config, roles),
  };
  return {
    configFile: input.configFile,
    resources: { Resources: resources },
    concurrency: reservedConcurrency(config),
    // The deployment guard's sweep and the batch check run when woken; this is their backstop.
    backstop: backstopSchedule(),
    warnings: ecsChanges.warnings,
  };
};

export { describeStack };
