import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, eventsOf, fixture, keysOf, START } from './harness.ts';

describe('SQS', () => {
  let local: LocalAws;
  let sqs: SQSClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    sqs = new SQSClient(clientConfig(local));
  });

  afterEach(async () => {
    sqs.destroy();
    await local.close();
  });

  it('round-trips a message with attributes, visibility timeout and delete', async () => {
    // Prepare
    const created = await sqs.send(new CreateQueueCommand({ QueueName: 'harbormaster-dlq' }));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'harbormaster-dlq' }));

    // Act
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"failed":"event"}',
        MessageAttributes: { source: { DataType: 'String', StringValue: 'rollback' } },
      }),
    );
    const first = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await local.clock.advance(31_000);
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.Messages?.[0]?.ReceiptHandle }),
    );
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );

    // Assess
    expect(created.QueueUrl).toBe(`${local.url}/123456789012/harbormaster-dlq`);
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(first.Messages?.[0]).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"failed":"event"}',
      Attributes: { ApproximateReceiveCount: '1' },
      MessageAttributes: { source: { DataType: 'String', StringValue: 'rollback' } },
    });
    expect(hidden.Messages).toBeUndefined();
    expect(second.Messages?.[0]?.MessageId).toBe(sent.MessageId);
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      QueueArn: 'arn:aws:sqs:us-east-1:123456789012:harbormaster-dlq',
    });
    expect(local.sqs.messages('harbormaster-dlq')).toEqual([]);
  });

  it('answers QueueDoesNotExist for unknown queues', async () => {
    // Act
    const error = await sqs
      .send(new GetQueueUrlCommand({ QueueName: 'nope' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(QueueDoesNotExist);
  });
});

describe('CloudWatch', () => {
  let local: LocalAws;
  let cloudwatch: CloudWatchClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    cloudwatch = new CloudWatchClient(clientConfig(local));
    local.cloudwatch.putAlarm('web-5xx', {
      state: 'OK',
      metric: {
        namespace: 'AWS/ApplicationELB',
        name: 'HTTPCode_Target_5XX_Count',
        dimensions: { LoadBalancer: 'app/web/123' },
        threshold: 10,
      },
    });
    local.cloudwatch.putAlarm('web-latency', { state: 'ALARM', reason: 'seeded' });
  });

  afterEach(async () => {
    cloudwatch.destroy();
    await local.close();
  });

  it('describes alarms with name and state filters', async () => {
    // Act
    const byName = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }));
    const inAlarm = await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));

    // Assess
    expect(byName.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: 'web-5xx',
        StateValue: 'OK',
        Threshold: 10,
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/123' }],
        StateUpdatedTimestamp: START,
      }),
    ]);
    expect(inAlarm.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['web-latency']);
  });

  it('emits a CloudWatch Alarm State Change event shaped like the real one', async () => {
    // Prepare
    await local.clock.advance(60_000);

    // Act
    local.cloudwatch.setAlarmState(
      'web-5xx',
      'ALARM',
      'Threshold Crossed: 1 datapoint [42.0] was greater than the threshold (10.0).',
    );
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'OK', StateReason: 'manual' }),
    );
    const missing = await cloudwatch
      .send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'x' }))
      .catch((e: unknown) => e);

    // Assess
    const [toAlarm, toOk] = eventsOf(local, 'CloudWatch Alarm State Change');
    const sample = fixture('cloudwatch-alarm-state-change-single-metric-docs.json');
    expect(keysOf(toAlarm)).toEqual(keysOf(sample));
    expect(keysOf(toAlarm?.detail)).toEqual(keysOf(sample.detail));
    expect(keysOf(toAlarm?.detail.state)).toEqual(keysOf(sample.detail.state));
    expect(toAlarm).toMatchObject({
      source: 'aws.cloudwatch',
      resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx'],
      time: '2026-11-02T09:01:00Z',
    });
    expect(toAlarm?.detail).toMatchObject({
      alarmName: 'web-5xx',
      previousState: { value: 'OK', timestamp: '2026-11-02T09:00:00.000+0000' },
      state: { value: 'ALARM', timestamp: '2026-11-02T09:01:00.000+0000' },
    });
    expect(toOk?.detail).toMatchObject({
      previousState: { value: 'ALARM' },
      state: { value: 'OK', reason: 'manual' },
    });
    expect(missing).toBeInstanceOf(ResourceNotFound);
  });
});

describe('Slack webhook sink', () => {
  let local: LocalAws;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
  });

  afterEach(async () => {
    await local.close();
  });

  const post = (body: string) =>
    fetch(local.slack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('accepts valid payloads and answers like Slack for invalid ones', async () => {
    // Prepare
    const blocks = (n: number, text = 'x') =>
      JSON.stringify({
        text: 'fallback',
        blocks: Array.from({ length: n }, () => ({
          type: 'section',
          text: { type: 'mrkdwn', text },
        })),
      });

    // Act
    const ok = await post(JSON.stringify({ text: ':rotating_light: web rolled back' }));
    const notJson = await post('text=hello');
    const noText = await post(JSON.stringify({ username: 'bot' }));
    const tooMany = await post(blocks(51));
    const tooLong = await post(blocks(1, 'x'.repeat(3001)));

    // Assess
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    expect([notJson.status, await notJson.text()]).toEqual([400, 'invalid_payload']);
    expect([noText.status, await noText.text()]).toEqual([400, 'no_text']);
    expect([tooMany.status, await tooMany.text()]).toEqual([400, 'invalid_blocks']);
    expect([tooLong.status, await tooLong.text()]).toEqual([400, 'invalid_blocks']);
    expect(local.slack.delivered()).toEqual([{ text: ':rotating_light: web rolled back' }]);
    expect(local.slack.posts[0]).toMatchObject({ at: START, status: 200 });
  });

  it('answers queued responses, including 429 with Retry-After', async () => {
    // Prepare
    local.slack.respondNext({ status: 429, retryAfterSeconds: 7 });

    // Act
    const limited = await post(JSON.stringify({ text: 'first try' }));
    const retried = await post(JSON.stringify({ text: 'second try' }));

    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.text()).toBe('rate_limited');
    expect(retried.status).toBe(200);
    expect(local.slack.posts.map((p) => p.status)).toEqual([429, 200]);
    expect(local.calls.list('slack').map((c) => c.status)).toEqual([429, 200]);
  });
});
