import { HarbormasterError } from './errors.ts';

/** An error sorted by whether retrying can help, with the missing permission or resource if named. */
interface Failure {
  retryable: boolean;
  name: string;
  message: string;
  missing: string | undefined;
}

// Errors that repeat on every attempt. Everything else (throttling, 5xx, timeouts, network, and
// unexpected bugs) is retried and then dead-lettered, where the record can be redriven once fixed.
const PERMANENT_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'AuthorizationError',
  'UnauthorizedOperation',
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'InvalidParameterException',
  'ClientException',
  'ParameterNotFound',
  'ResourceNotFoundException',
  'NotFound',
  'NotFoundException',
  'KMSAccessDeniedException',
  'PlatformUnknownException',
  'PlatformTaskDefinitionIncompatibilityException',
  'UnsupportedFeatureException',
]);

const MISSING_RESOURCE: Record<string, string> = {
  ClusterNotFoundException: 'the ECS cluster',
  ServiceNotFoundException: 'the ECS service',
  ServiceNotActiveException: 'an active ECS service',
  ParameterNotFound: 'the SSM parameter',
  ResourceNotFoundException: 'the resource',
  NotFound: 'the SNS topic',
};

// "User: arn... is not authorized to perform: ecs:UpdateService on resource: arn:... because ..."
const DENIED =
  /not authorized to perform:?\s*([\w-]+:[\w*]+)(?:\s+on resource:?\s*(\S+?))?(?:\s+because|[.,;]?\s*$)/i;

const missingFrom = (name: string, message: string): string | undefined => {
  const denied = DENIED.exec(message);
  if (denied?.[1]) return `permission ${denied[1]}${denied[2] ? ` on ${denied[2]}` : ''}`;
  if (/AccessDenied|Unauthorized|AuthorizationError/.test(name))
    return 'a permission (see the error message)';
  return MISSING_RESOURCE[name];
};

/** Sorts any thrown value by whether a retry can help. */
const classifyFailure = (error: unknown): Failure => {
  const err = error instanceof Error ? error : new Error(String(error));
  const name = err.name || 'Error';
  const retryable = err instanceof HarbormasterError ? err.retryable : !PERMANENT_ERRORS.has(name);
  return {
    retryable,
    name,
    message: err.message,
    missing: retryable ? undefined : missingFrom(name, err.message),
  };
};

export { classifyFailure, type Failure };
