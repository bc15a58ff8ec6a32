import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { HarbormasterError } from './errors.ts';
import { PERMANENT_ERROR_CODES } from './failure-codes.ts';
import { redactSecrets } from './secrets.ts';

/** An error sorted by whether retrying can help, with the missing permission or resource if named. */
interface Failure {
  retryable: boolean;
  name: string;
  message: string;
  missing: string | undefined;
}

const MISSING_RESOURCE: ReadonlyMap<string, string> = new Map([
  ['ClusterNotFoundException', 'the ECS cluster'],
  ['ServiceNotFoundException', 'the ECS service'],
  ['ServiceNotActiveException', 'an active ECS service'],
  ['ParameterNotFound', 'the SSM parameter'],
  ['ResourceNotFoundException', 'the resource'],
  ['QueueDoesNotExist', 'the SQS queue'],
  ['NotFound', 'the SNS topic'],
  ['NotFoundException', 'the SNS topic'],
]);

// Names that say "slow down" whatever service raised them: retrying later is the cure.
const THROTTLED = /Throttl|TooManyRequests|RateExceeded|SlowDown/i;

// "User: arn... is not authorized to perform: ecs:UpdateService on resource: arn:... because ..."
// Each part is bounded and anchored on fixed words, so the match stays linear on long messages.
const DENIED =
  /not authorized to perform:? ?([\w-]{1,64}:[\w*]{1,128})(?: on resource:? ?([^\s,;]{1,2048}))?/i;

const missingFrom = (name: string, message: string): string | undefined => {
  const denied = DENIED.exec(message.slice(0, 8192));
  if (denied?.[1]) {
    const resource = denied[2]?.replace(/\.$/, '');
    return `permission ${denied[1]}${resource ? ` on ${resource}` : ''}`;
  }
  if (/AccessDenied|Unauthorized|AuthorizationError|NotAuthorized/.test(name))
    return 'a permission (see the error message)';
  return MISSING_RESOURCE.get(name);
};

/**
 * Whether a retry may help. Harbormaster's own errors say so themselves. The SDK's classification
 * decides next (throttling, 5xx, timeouts, network errors, its retryable trait): those are always
 * retried, whatever their name. Then the documented client errors (malformed requests, missing
 * resources, denied permissions) are permanent; anything else, unexpected bugs included, is retried
 * and then dead-lettered, where the record can be redriven once fixed.
 */
const isRetryable = (error: Error): boolean => {
  if (error instanceof HarbormasterError) return error.retryable;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(sdkError) || isTransientError(sdkError) || THROTTLED.test(error.name))
    return true;
  return !PERMANENT_ERROR_CODES.has(error.name);
};

/** Sorts any thrown value by whether a retry can help; its message is free of known secrets. */
const classifyFailure = (error: unknown): Failure => {
  const err = error instanceof Error ? error : new Error(String(error));
  const name = err.name || 'Error';
  const retryable = isRetryable(err);
  // The message goes to logs, alerts and results: never with a secret it may quote.
  const message = redactSecrets(err.message);
  return {
    retryable,
    name,
    message,
    missing: retryable ? undefined : missingFrom(name, message),
  };
};

export { classifyFailure, type Failure };
