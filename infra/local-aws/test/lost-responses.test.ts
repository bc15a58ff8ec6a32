import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, type ServiceName, startLocalAws } from '../index.ts';
import { clientConfig, failure, START } from './harness.ts';

// A response lost after the write: the change is made, the caller hears a 5xx or nothing in time.
// DynamoDB documents that an HTTP 500 "may have succeeded"
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html), and
// a client-side timeout (the SDK's requestTimeout) says nothing about whether the write happened.

interface Case {
  service: ServiceName;
  operation: string;
  /** Makes the call with the given client settings. */
  send(local: LocalAws, extra: Record<string, unknown>): Promise<unknown>;
  /** Whether the write happened. */
  applied(local: LocalAws): boolean;
}

const CASES: Case[] = [
  {
    service: 'ecs',
    operation: 'CreateCluster',
    send: (local, extra) =>
      new ECSClient(clientConfig(local, extra)).send(
        new CreateClusterCommand({ clusterName: 'c' }),
      ),
    applied: (local) =>
      JSON.stringify(local.ecs.call('DescribeClusters', { clusters: ['c'] }).clusters).includes(
        '"status":"ACTIVE"',
      ),
  },
  {
    service: 'dynamodb',
    operation: 'PutItem',
    send: (local, extra) =>
      new DynamoDBClient(clientConfig(local, extra)).send(
        new PutItemCommand({ TableName: 't', Item: { pk: { S: 'k' } } }),
      ),
    applied: (local) => local.dynamodb.items('t').length === 1,
  },
  {
    service: 'sqs',
    operation: 'SendMessage',
    send: (local, extra) =>
      new SQSClient(clientConfig(local, extra)).send(
        new SendMessageCommand({ QueueUrl: local.sqs.createQueue('q'), MessageBody: 'm' }),
      ),
    applied: (local) => local.sqs.messages('q').length === 1,
  },
  {
    service: 'sns',
    operation: 'Publish',
    send: (local, extra) =>
      new SNSClient(clientConfig(local, extra)).send(
        new PublishCommand({ TopicArn: local.sns.createTopic('alerts'), Message: 'm' }),
      ),
    applied: (local) => local.sns.messages().length === 1,
  },
  {
    service: 'ssm',
    operation: 'PutParameter',
    send: (local, extra) =>
      new SSMClient(clientConfig(local, extra)).send(
        new PutParameterCommand({ Name: '/p', Value: 'v', Type: 'String' }),
      ),
    applied: (local) => local.ssm.get('/p') === 'v',
  },
  {
    service: 'cloudwatch',
    operation: 'PutMetricData',
    send: (local, extra) =>
      new CloudWatchClient(clientConfig(local, extra)).send(
        new PutMetricDataCommand({
          Namespace: 'Harbormaster',
          MetricData: [{ MetricName: 'm', Value: 1 }],
        }),
      ),
    applied: (local) => local.cloudwatch.metricData().length === 1,
  },
  {
    service: 'slack',
    operation: 'webhook',
    send: (local, extra) =>
      fetch(local.slack.webhookUrl, {
        method: 'POST',
        body: JSON.stringify({ text: 'hi' }),
        signal: AbortSignal.timeout(Number(extra.timeoutMs ?? 10_000)),
      }).then((response) => {
        if (!response.ok) throw new Error(`slack answered ${response.status}`);
        return response;
      }),
    applied: (local) => local.slack.delivered().length === 1,
  },
];

describe('Lost responses for every service', () => {
  let local: LocalAws;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    local.dynamodb.createTable('t', { partitionKey: 'pk' });
  });

  afterEach(async () => local.close());

  it.each(CASES)('$service $operation: applies the write, then answers a 5xx', async (c) => {
    // Prepare
    local.faults.inject({
      service: c.service,
      operation: c.operation,
      error: 'ServerException',
      afterOperation: true,
      times: 1,
    });
    // Act
    const error = await failure(c.send(local, {}));
    // Assess
    expect(error.message).not.toBe('expected the call to fail');
    expect(c.applied(local)).toBe(true);
    expect(local.calls.list(c.service, c.operation).map((call) => call.status)).toStrictEqual([
      500,
    ]);
  });

  it.each(CASES)(
    '$service $operation: applies the write, then answers after the client gave up',
    async (c) => {
      // Prepare
      local.faults.inject({
        service: c.service,
        operation: c.operation,
        holdResponseMs: 600,
        times: 1,
      });
      // Act: the SDK's requestTimeout (or fetch's abort) is 150 ms; the answer comes at 600 ms.
      // @smithy/node-http-handler 4.x only warns on requestTimeout unless throwOnRequestTimeout.
      const error = await failure(
        c.send(local, {
          requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true },
          timeoutMs: 150,
        }),
      );
      // Assess
      expect(error.name).toMatch(/TimeoutError|AbortError/);
      expect(c.applied(local)).toBe(true);
    },
  );

  it('waits for a held answer when the SDK is given requestTimeout alone: @smithy/node-http-handler 4.x only warns', async () => {
    // Prepare
    const warnings: string[] = [];
    local.faults.inject({
      service: 'dynamodb',
      operation: 'PutItem',
      holdResponseMs: 400,
      times: 1,
    });
    const ddb = new DynamoDBClient(
      clientConfig(local, {
        requestHandler: { requestTimeout: 100, logger: { warn: (m: string) => warnings.push(m) } },
      }),
    );
    // Act
    const out = await ddb.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'k' } } }));
    ddb.destroy();
    // Assess
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(warnings.join('\n')).toMatch(/exceeded the configured 100 ms requestTimeout/);
  });
});
