import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '@harbormaster/local-aws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsChannel } from '#alerts/channels/sns-channel.ts';
import { renderAlert } from '#alerts/render.ts';
import { serviceEventAlertRenderers } from '#alerts/service-events/actions.ts';
import { createDeadLetterQueue } from '#dead-letters/dead-letter-queue.ts';
import { type LocalAws, startLocalAws } from '#infra/local-aws/index.ts';
import { fixture } from '#support/events.ts';

let local: LocalAws;
beforeAll(async () => {
  local = await startLocalAws({ region: 'us-west-2', accountId: '111122223333' });
});
afterAll(async () => local.close());

const ARN = 'arn:aws:ecs:us-west-2:111122223333';

/** A service-event alert whose container instances fill the message (ECS lists up to 1,000). */
const crowdedAlert = () =>
  renderAlert(
    {
      kind: 'service-event',
      severity: 'error',
      subject: { account: '111122223333', region: 'us-west-2', cluster: 'prod', service: 'web' },
      occurredAt: '2026-11-21T12:00:00.000Z',
      threadId: 'ecs-prod-web',
      dedup: { key: 'service-event|prod|web', windowSeconds: 60 },
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      eventType: 'ERROR',
      reason: `RESOURCE:MEMORY ${'\u20ac'.repeat(4_000)}`,
      capacityProviders: [],
      // Every detail is kept to 4,096 characters; fifty of them in three-byte characters.
      containerInstances: Array.from(
        { length: 1_000 },
        (_, i) => `${ARN}:container-instance/prod/${'\u20ac'.repeat(40)}${i}`,
      ),
      tasks: [],
    } as never,
    serviceEventAlertRenderers,
  );

describe('Delivery of oversized and hostile text to the embedded SNS and SQS', () => {
  it('publishes an alert SNS would refuse whole: SNS counts 262,144 bytes, attributes included', async () => {
    // Prepare
    const topicArn = local.sns.createTopic('alerts');
    const client = new SNSClient(clientConfig(local));
    const message = crowdedAlert();
    const oversized = `${'\u20ac'.repeat(90_000)}`;
    // Act
    const refused = client.send(new PublishCommand({ TopicArn: topicArn, Message: oversized }));
    await createSnsChannel(client, topicArn, 'info').send(message, { remainingMs: () => 20_000 });
    // Assess: the limit is real, and the alert was shortened under it
    await expect(refused).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const [published] = local.sns.messages(topicArn);
    expect(Buffer.byteLength(published?.message ?? '')).toBeLessThanOrEqual(262_144);
    expect(published?.messageAttributes.cluster).toMatchObject({ StringValue: 'prod' });
  });

  // SQS: MaximumMessageSize 262,144 bytes by default; #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD
  // #x10000-#x10FFFF only (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
  it('parks a dead-letter record near 256 KB of multi-byte text, clipped by bytes to a valid body', async () => {
    // Prepare: an event of 88,000 three-byte characters (264 KB) and a character SQS refuses
    const url = local.sqs.createQueue('dead-letters');
    const queue = createDeadLetterQueue(new SQSClient(clientConfig(local)), url);
    const event = fixture('service-action-placement-failure-ec2-cpu-docs');
    const record = {
      version: '1.0',
      timestamp: '2026-11-21T12:00:00.000Z',
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:us-west-2:1:function:f' },
      requestPayload: { ...event, detail: { reason: `\uffff${'\u20ac'.repeat(88_000)}` } },
      responsePayload: { errorType: 'TransientError', errorMessage: 'Rate exceeded' },
    };
    // Act
    await queue.park('harbormaster-prod-service-alerts', record);
    // Assess
    const [parked] = local.sqs.messages('dead-letters');
    const body = parked?.body ?? '';
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(262_144);
    // Whole, the record has fewer characters than SQS's limit but more bytes.
    expect(JSON.stringify(record).length).toBeLessThan(262_144);
    expect(Buffer.byteLength(JSON.stringify(record))).toBeGreaterThan(262_144);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      requestContext: { requestId: 'r-1' },
      responsePayload: { errorMessage: 'Rate exceeded' },
      truncated: { requestPayloadBytes: expect.any(Number) },
    });
    expect(String(parsed.requestPayloadStart).startsWith('{"version":"0"')).toBe(true);
  });

  it('parks a record that fits whole as it is, U+FFFF included', async () => {
    // Prepare
    const url = local.sqs.createQueue('dead-letters-small');
    const queue = createDeadLetterQueue(new SQSClient(clientConfig(local)), url);
    const record = { requestPayload: { detail: { reason: 'odd \uffff character' } } };
    // Act
    await queue.park('harbormaster-prod-service-alerts', record);
    // Assess
    const [parked] = local.sqs.messages('dead-letters-small');
    expect(JSON.parse(parked?.body ?? '')).toStrictEqual(record);
  });
});
