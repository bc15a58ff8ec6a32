/** Structured logging as the Powertools logger offers it; extra keys become JSON fields. */
interface Log {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
  /** Adds keys to every later log line of this invocation (correlation ids, cluster, service). */
  appendKeys(keys: Record<string, unknown>): void;
}

/** Counters published as CloudWatch metrics (embedded metric format in Lambda). */
interface Counters {
  count(metric: string, value?: number): void;
}

/** Logs and counters together, as handlers and the executor use them. */
interface Telemetry {
  log: Log;
  counters: Counters;
}

const noop = (): void => undefined;

/** Telemetry that records nothing, for code paths that run outside Lambda (CLI replay). */
const silentTelemetry: Telemetry = {
  log: { debug: noop, info: noop, warn: noop, error: noop, appendKeys: noop },
  counters: { count: noop },
};

export { type Counters, type Log, silentTelemetry, type Telemetry };
