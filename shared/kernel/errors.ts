/**
 * Harbormaster's error family. Every error says whether a retry can help, because that decides
 * what the Lambda runtime does with it: retry (then dead-letter) or log, report once and drop.
 */

/** Base class of every error Harbormaster raises on purpose. */
class HarbormasterError extends Error {
  public readonly retryable: boolean;

  public constructor(message: string, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HarbormasterError';
    this.retryable = retryable;
  }
}

/** One problem found while validating input, with the dotted path of the offending field. */
interface FieldIssue {
  path: string;
  message: string;
}

const formatIssues = (issues: readonly FieldIssue[]): string =>
  issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');

/** An event that is not a well-formed event Harbormaster handles. Retrying never helps. */
class InvalidEventError extends HarbormasterError {
  public readonly issues: readonly FieldIssue[];
  public readonly detailType: string | undefined;

  public constructor(issues: readonly FieldIssue[], detailType?: string) {
    const what = detailType ? `"${detailType}" event` : 'event';
    super(`Invalid ${what}: ${formatIssues(issues)}`, false);
    this.name = 'InvalidEventError';
    this.issues = issues;
    this.detailType = detailType;
  }
}

/** A configuration file or environment that does not validate; raised at packaging or cold start. */
class ConfigError extends HarbormasterError {
  public readonly issues: readonly FieldIssue[];

  public constructor(source: string, issues: readonly FieldIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
    super(`Invalid configuration (${source}):\n${lines.join('\n')}`, false);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A delivery or API failure that a later attempt may get past (throttling, 5xx, timeouts). */
class TransientError extends HarbormasterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, true, options);
    this.name = 'TransientError';
  }
}

/** A failure that repeats on every attempt (missing resource, missing permission, rejected input). */
class PermanentError extends HarbormasterError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, false, options);
    this.name = 'PermanentError';
  }
}

/** ECS lists the service as MISSING: reported once (naming the service) and dropped, as ECS's own error. */
class ServiceNotFoundError extends PermanentError {
  public constructor(cluster: string, service: string) {
    super(`ECS reports service ${service} in cluster ${cluster} as missing`);
    this.name = 'ServiceNotFoundException';
  }
}

/** Narrows an unknown thrown value to an Error, wrapping anything else. */
const toError = (value: unknown): Error =>
  value instanceof Error ? value : new Error(`Non-error thrown: ${String(value)}`);

export {
  ConfigError,
  type FieldIssue,
  formatIssues,
  HarbormasterError,
  InvalidEventError,
  PermanentError,
  ServiceNotFoundError,
  TransientError,
  toError,
};
