import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { redactSecrets } from './secrets.ts';
import type { Telemetry } from './telemetry.ts';

/** The Powertools logger (structured JSON) and metrics (CloudWatch embedded metric format). */
interface Powertools {
  logger: Logger;
  metrics: Metrics;
}

// Every string of every log line, error messages and stack traces included, passes through here.
const redactingReplacer = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? redactSecrets(value) : value;

/**
 * Powertools instances for one function; the stage becomes a log key and a metric dimension. Log
 * lines never carry a secret the function holds (see secrets.ts).
 */
const createPowertools = (functionName: string, stage: string | undefined): Powertools => {
  const logger = new Logger({
    serviceName: 'harbormaster',
    persistentKeys: { function: functionName, ...(stage ? { stage } : {}) },
    jsonReplacerFn: redactingReplacer,
  });
  const metrics = new Metrics({
    namespace: 'Harbormaster',
    serviceName: functionName,
    ...(stage ? { defaultDimensions: { stage } } : {}),
  });
  return { logger, metrics };
};

/** Telemetry backed by Powertools. */
const powertoolsTelemetry = ({ logger, metrics }: Powertools): Telemetry => ({
  log: {
    debug: (message, extra) => logger.debug(message, extra ?? {}),
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
    appendKeys: (keys) => logger.appendKeys(keys),
  },
  counters: { count: (metric, value = 1) => metrics.addMetric(metric, MetricUnit.Count, value) },
});

export { createPowertools, type Powertools, powertoolsTelemetry };
