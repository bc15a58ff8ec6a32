import { HarbormasterError } from '#kernel/errors.ts';

/**
 * A replay was asked about part of the world its state files do not describe. It is not an answer
 * from AWS (a missing service is ServiceNotFound, which a describe-services output can say): the
 * replay cannot decide the event and says which state to pass. Marked retryable so that the
 * invocation pipeline rethrows it instead of reporting it as a permanent failure with an alert;
 * the replay engine catches it (with the state, a second run can decide).
 */
class MissingStateError extends HarbormasterError {
  constructor(what: string, command: string) {
    super(`no ${what}: pass --state with the output of \`${command}\``, true);
    this.name = 'MissingStateError';
  }
}

/** The error for a service the state files do not describe. */
const noServiceState = (cluster: string, service: string): MissingStateError =>
  new MissingStateError(
    `describe-services state for ${cluster}/${service}`,
    `aws ecs describe-services --cluster ${cluster} --services ${service} --include TAGS`,
  );

export { MissingStateError, noServiceState };
