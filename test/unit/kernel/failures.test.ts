import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ClientException, InvalidParameterException } from '@aws-sdk/client-ecs';
import { InvalidParameterValueException, KMSThrottlingException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '#kernel/errors.ts';
import { classifyFailure } from '#kernel/failures.ts';
import { awsError } from '#support/fakes.ts';

/** An error as the SDK raises it: its name is the error code, with the response's status. */
const sdkError = (name: string, status: number, message = `${name} message`) =>
  Object.assign(awsError(name, message), { $metadata: { httpStatusCode: status } });

const modeled = { $metadata: { httpStatusCode: 400 }, message: 'bad request' };

describe('Function: classifyFailure', () => {
  // Common errors of every AWS API (e.g. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/
  // CommonErrors.html) and the Errors sections of the calls Harbormaster makes.
  it.each([
    ['ValidationException', 400], // DynamoDB, SSM, SNS: the request does not satisfy the API's constraints
    ['SerializationException', 400], // DynamoDB: a malformed request body
    ['InvalidParameterValue', 400], // CloudWatch, SQS (awsQuery code)
    ['InvalidParameterCombination', 400],
    ['MissingParameter', 400],
    ['ValidationError', 400],
    ['InvalidParameterException', 400], // ECS, SNS
    ['ClientException', 400], // ECS
    ['ParameterNotFound', 400], // SSM
    ['InvalidMessageContents', 400], // SQS
    ['QueueDoesNotExist', 400], // SQS
    ['ItemCollectionSizeLimitExceededException', 400], // DynamoDB
    ['AccessDeniedException', 400],
    ['UnrecognizedClientException', 400],
  ])('treats %s as permanent: the same request fails again', (name, status) => {
    // Act
    const failure = classifyFailure(sdkError(name, status));
    // Assess
    expect(failure).toMatchObject({ retryable: false, name });
  });

  it.each([
    ['ThrottlingException', 400],
    ['Throttling', 400],
    ['ThrottledException', 400], // SNS
    ['KMSThrottlingException', 400], // SNS
    ['KmsThrottled', 400], // SQS
    ['RequestThrottled', 403], // SQS
    ['ProvisionedThroughputExceededException', 400], // DynamoDB
    ['RequestLimitExceeded', 400], // DynamoDB
    ['TooManyRequestsException', 429],
    ['LimitExceededException', 400], // ECS: the SDK counts it as throttling
    ['ServerException', 500], // ECS
    ['InternalServerError', 500], // DynamoDB, SSM
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
    ['TransactionConflictException', 400], // DynamoDB
    ['ConflictException', 409], // ECS
    ['UpdateInProgressException', 400], // ECS
    ['TimeoutError', 0],
    ['SomethingNewException', 400], // unknown: retried, then dead-lettered for a redrive
  ])('keeps %s retryable', (name, status) => {
    // Act
    const failure = classifyFailure(sdkError(name, status));
    // Assess
    expect(failure.retryable).toBe(true);
  });

  it('reads the SDK exception classes by their names', () => {
    // Assess
    expect(classifyFailure(new InvalidParameterException(modeled)).retryable).toBe(false);
    expect(classifyFailure(new ClientException(modeled)).retryable).toBe(false);
    expect(classifyFailure(new InvalidParameterValueException(modeled)).retryable).toBe(false);
    expect(classifyFailure(new KMSThrottlingException(modeled)).retryable).toBe(true);
  });

  it('retries a permanent-sounding error the SDK marks retryable or that came back as a 5xx', () => {
    // Prepare
    const marked = Object.assign(sdkError('ValidationException', 400), {
      $retryable: { throttling: false },
    });
    // Assess
    expect(classifyFailure(marked).retryable).toBe(true);
    expect(classifyFailure(sdkError('ValidationException', 503)).retryable).toBe(true);
  });

  it('retries network errors by their Node.js code', () => {
    // Prepare
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    // Assess
    expect(classifyFailure(reset).retryable).toBe(true);
  });

  it("follows Harbormaster's own errors, whatever their names", () => {
    // Assess
    expect(classifyFailure(new TransientError('Slack answered 503')).retryable).toBe(true);
    expect(classifyFailure(new PermanentError('Slack answered 404')).retryable).toBe(false);
  });

  it('leaves ConditionalCheckFailedException to the stores: it is not a malformed request', () => {
    // Act
    const failure = classifyFailure(
      new ConditionalCheckFailedException({
        ...modeled,
        message: 'The conditional request failed',
      }),
    );
    // Assess
    expect(failure.retryable).toBe(true);
  });

  it('names the missing permission and resource from an AccessDenied message', () => {
    // Prepare
    const denied = sdkError(
      'AccessDeniedException',
      400,
      'User: arn:aws:sts::111122223333:assumed-role/hm/fn is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:111122223333:service/prod/web because no identity-based policy allows the ecs:UpdateService action',
    );
    // Assess
    expect(classifyFailure(denied).missing).toBe(
      'permission ecs:UpdateService on arn:aws:ecs:us-east-1:111122223333:service/prod/web',
    );
  });

  it('names the missing resource, and never reads an error name as an object key', () => {
    // Assess
    expect(classifyFailure(sdkError('ClusterNotFoundException', 400)).missing).toBe(
      'the ECS cluster',
    );
    expect(classifyFailure(awsError('constructor', 'x')).retryable).toBe(true);
    expect(classifyFailure(awsError('__proto__', 'x')).missing).toBeUndefined();
  });

  it('classifies non-errors without throwing', () => {
    // Assess
    expect(classifyFailure('boom')).toMatchObject({ retryable: true, message: 'boom' });
    expect(classifyFailure(undefined).retryable).toBe(true);
  });
});

describe('Function: classifyFailure on messages quoting a secret', () => {
  it('redacts a Slack webhook URL from the message it reports', () => {
    // Prepare
    const error = new TypeError(
      'Failed to parse URL from https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/abcdefghijklmnopqrstuvwx',
    );
    // Assess
    expect(classifyFailure(error).message).toBe(
      'Failed to parse URL from https://hooks.slack.com/[redacted]',
    );
  });
});
