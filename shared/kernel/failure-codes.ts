/**
 * The AWS error codes that a retry cannot fix: the request is malformed, names something that does
 * not exist, or is not allowed. Each list is the documented errors of the calls Harbormaster makes,
 * with the SDK's exception names where they differ from the wire code (the awsQuery services answer
 * `InvalidParameter`, the SDK raises `InvalidParameterException`). Throttling, 5xx, timeouts,
 * conflicts and quotas that free up are not here: they are retried (see failures.ts).
 */

/**
 * Common errors of every AWS API (for example
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html): the 4xx ones, not
 * InternalFailure, ServiceUnavailable, ThrottlingException or RequestExpired (clock skew, which the
 * SDK corrects).
 */
const COMMON = [
  'AccessDeniedException',
  'AccessDenied',
  'IncompleteSignature',
  'InvalidAction',
  'InvalidClientTokenId',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidQueryParameter',
  'MalformedQueryString',
  'MissingAction',
  'MissingAuthenticationToken',
  'MissingParameter',
  'NotAuthorized',
  'OptInRequired',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'UnknownOperationException',
  'ValidationError',
  'ValidationException',
  'SerializationException',
];

/**
 * ECS (API reference, Errors of UpdateService, StopTask, TagResource, DeregisterTaskDefinition,
 * RunTask, Describe*). Not ServerException (5xx), LimitExceededException (the SDK counts it as
 * throttling), ConflictException or UpdateInProgressException (they pass).
 */
const ECS = [
  'ClientException',
  'InvalidParameterException',
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'PlatformUnknownException',
  'PlatformTaskDefinitionIncompatibilityException',
  'UnsupportedFeatureException',
  'AttributeLimitExceededException',
  'TargetNotFoundException',
  'NamespaceNotFoundException',
  'TaskSetNotFoundException',
  'MissingVersionException',
  'NoUpdateAvailableException',
  'BlockedException',
  'ResourceNotFoundException',
];

/** SNS Publish (API reference, Errors). Not KMSThrottlingException, ThrottledException, InternalError. */
const SNS = [
  'AuthorizationError',
  'AuthorizationErrorException',
  'InvalidParameter',
  'InvalidParameterException',
  'ParameterValueInvalid',
  'InvalidParameterValueException',
  'InvalidSecurity',
  'InvalidSecurityException',
  'NotFound',
  'NotFoundException',
  'EndpointDisabled',
  'EndpointDisabledException',
  'KMSAccessDenied',
  'KMSAccessDeniedException',
  'KMSDisabled',
  'KMSDisabledException',
  'KMSInvalidState',
  'KMSInvalidStateException',
  'KMSNotFound',
  'KMSNotFoundException',
  'KMSOptInRequired',
];

/** SQS SendMessage (API reference, Errors). Not KmsThrottled, RequestThrottled, OverLimit. */
const SQS = [
  'InvalidMessageContents',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'InvalidAddress',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'UnsupportedOperation',
  'AWS.SimpleQueueService.UnsupportedOperation',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsInvalidKeyUsage',
  'KmsInvalidState',
  'KmsNotFound',
  'KmsOptInRequired',
];

/**
 * DynamoDB (API reference, Common Errors and PutItem/UpdateItem/Query Errors). Not the throughput
 * and throttling errors, InternalServerError, TransactionConflictException; ConditionalCheckFailed
 * is the stores' to interpret.
 */
const DYNAMODB = ['ItemCollectionSizeLimitExceededException'];

/** SSM GetParameter (API reference, Errors). Not InternalServerError. */
const SSM = ['ParameterNotFound', 'ParameterVersionNotFound', 'InvalidKeyId'];

/** CloudWatch DescribeAlarms and the common errors under their SDK names. */
const CLOUDWATCH = [
  'InvalidNextToken',
  'InvalidParameterCombinationException',
  'MissingRequiredParameterException',
  'ResourceNotFound',
  'KmsAccessDeniedException',
  'KmsKeyNotFoundException',
  'KmsKeyDisabledException',
];

/** Every error code a retry cannot fix. */
const PERMANENT_ERROR_CODES: ReadonlySet<string> = new Set([
  ...COMMON,
  ...ECS,
  ...SNS,
  ...SQS,
  ...DYNAMODB,
  ...SSM,
  ...CLOUDWATCH,
]);

export { PERMANENT_ERROR_CODES };
