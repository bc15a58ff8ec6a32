import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  InternalServiceFault,
} from '@aws-sdk/client-cloudwatch';
import {
  DynamoDBClient,
  DynamoDBServiceException,
  InternalServerError as DynamoInternal,
  ThrottlingException as DynamoThrottling,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AccessDeniedException,
  ECSServiceException,
  ListClustersCommand,
  RunTaskCommand,
  ServerException,
} from '@aws-sdk/client-ecs';
import {
  AuthorizationErrorException,
  InternalErrorException,
  ListTopicsCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import {
  ListQueuesCommand,
  RequestThrottled,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import {
  GetParameterCommand,
  SSMClient,
  AccessDeniedException as SsmAccessDenied,
  InternalServerError as SsmInternal,
  ThrottlingException as SsmThrottling,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import {
  clientConfig,
  ecsClient,
  fargateTaskDefinition,
  fastRetry,
  network,
  START,
} from './harness.ts';

describe('Fault injection', () => {
  let local: LocalAws;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
  });

  afterEach(async () => {
    await local.close();
  });

  it('raises each service’s real exception classes for the named faults', async () => {
    // Prepare
    const config = clientConfig(local);
    const ecs = ecsClient(local);
    const sns = new SNSClient(config);
    const ssm = new SSMClient(config);
    const ddb = new DynamoDBClient(config);
    const sqs = new SQSClient(config);
    const cw = new CloudWatchClient(config);
    const calls = {
      ecs: () => ecs.send(new ListClustersCommand({})),
      sns: () => sns.send(new ListTopicsCommand({})),
      ssm: () => ssm.send(new GetParameterCommand({ Name: '/x' })),
      dynamodb: () => ddb.send(new ListTablesCommand({})),
      sqs: () => sqs.send(new ListQueuesCommand({})),
      cloudwatch: () => cw.send(new DescribeAlarmsCommand({})),
    };
    const errors: Record<string, unknown[]> = {};
    const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'none');

    // Act
    for (const kind of [
      'ThrottlingException',
      'ServerException',
      'AccessDeniedException',
    ] as const) {
      for (const [service, call] of Object.entries(calls)) {
        const handle = local.faults.inject({
          service: service as keyof typeof calls,
          error: kind,
          times: 1,
        });
        const error = await call().catch((e: unknown) => e);
        errors[service] = [...(errors[service] ?? []), error];
        expect(handle.remaining).toBe(0);
      }
    }
    for (const client of [ecs, sns, ssm, ddb, sqs, cw]) client.destroy();

    // Assess
    const [ecsThrottle, ecsServer, ecsDenied] = errors.ecs ?? [];
    expect(ecsThrottle).toBeInstanceOf(ECSServiceException);
    expect((ecsThrottle as Error).name).toBe('ThrottlingException');
    expect((ecsThrottle as Error).message).toBe('Rate exceeded');
    expect(ecsServer).toBeInstanceOf(ServerException);
    expect(ecsDenied).toBeInstanceOf(AccessDeniedException);
    expect((ecsDenied as Error).message).toMatch(
      /^User: arn:aws:iam::123456789012:user\/local-developer is not authorized to perform: ecs:ListClusters/,
    );
    expect(errors.sns).toEqual([
      expect.any(ThrottledException),
      expect.any(InternalErrorException),
      expect.any(AuthorizationErrorException),
    ]);
    expect(errors.ssm).toEqual([
      expect.any(SsmThrottling),
      expect.any(SsmInternal),
      expect.any(SsmAccessDenied),
    ]);
    expect(errors.dynamodb?.slice(0, 2)).toEqual([
      expect.any(DynamoThrottling),
      expect.any(DynamoInternal),
    ]);
    // This SDK version models no AccessDeniedException for DynamoDB: it surfaces as the service base class.
    expect(errors.dynamodb?.[2]).toBeInstanceOf(DynamoDBServiceException);
    expect(nameOf(errors.dynamodb?.[2])).toBe('AccessDeniedException');
    expect(errors.sqs?.[0]).toBeInstanceOf(RequestThrottled);
    expect(errors.sqs?.[1]).toBeInstanceOf(SQSServiceException);
    expect(nameOf(errors.sqs?.[2])).toBe('AccessDenied');
    expect(nameOf(errors.cloudwatch?.[0])).toBe('Throttling');
    expect(errors.cloudwatch?.[0]).toBeInstanceOf(CloudWatchServiceException);
    expect(errors.cloudwatch?.[1]).toBeInstanceOf(InternalServiceFault);
    expect(local.calls.list('ecs', 'ListClusters').map((c) => [c.status, c.errorCode])).toEqual([
      [400, 'ThrottlingException'],
      [500, 'ServerException'],
      [400, 'AccessDeniedException'],
    ]);
  });

  it('lets the SDK retry throttling, visible in the call log, until the fault runs out', async () => {
    // Prepare
    const ecs = ecsClient(local, { retryStrategy: fastRetry(4) });
    local.faults.inject({
      service: 'ecs',
      operation: 'ListClusters',
      error: 'ThrottlingException',
      times: 3,
    });

    // Act
    const out = await ecs.send(new ListClustersCommand({}));
    ecs.destroy();

    // Assess
    expect(out.$metadata.attempts).toBe(4);
    expect(local.calls.list('ecs', 'ListClusters').map((c) => c.status)).toEqual([
      400, 400, 400, 200,
    ]);
  });

  it('supports explicit errors, latency, removal and clear', async () => {
    // Prepare
    const ecs = ecsClient(local);
    const custom = local.faults.inject({
      service: 'ecs',
      operation: 'ListClusters',
      error: {
        type: 'LimitExceededException',
        status: 400,
        message: 'The limit for the resource was exceeded.',
      },
    });

    // Act
    const limited = await ecs.send(new ListClustersCommand({})).catch((e: unknown) => e);
    custom.remove();
    local.faults.inject({ service: 'ecs', latencyMs: 60 });
    const started = performance.now();
    await ecs.send(new ListClustersCommand({}));
    const elapsed = performance.now() - started;
    local.faults.clear();
    const after = await ecs.send(new ListClustersCommand({}));
    ecs.destroy();

    // Assess
    expect((limited as Error).name).toBe('LimitExceededException');
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(after.clusterArns).toEqual([]);
  });

  it('throttles RunTask with Fargate’s token buckets', async () => {
    // Prepare
    const ecs = ecsClient(local);
    local.ecs.createCluster('batch');
    local.ecs.registerTaskDefinition(fargateTaskDefinition('job'));
    local.faults.fargateRunTaskLimits();
    const runTen = () =>
      ecs.send(
        new RunTaskCommand({
          cluster: 'batch',
          taskDefinition: 'job',
          count: 10,
          launchType: 'FARGATE',
          networkConfiguration: network,
        }),
      );

    // Act
    for (let i = 0; i < 10; i += 1) await runTen();
    const throttled = await runTen().catch((e: unknown) => e);
    ecs.destroy();

    // Assess
    expect(local.ecs.tasks()).toHaveLength(100);
    expect((throttled as Error).name).toBe('ThrottlingException');
    expect(local.calls.count('ecs', 'RunTask')).toBe(11);
  });
});
