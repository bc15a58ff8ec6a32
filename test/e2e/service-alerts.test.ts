import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import type { ConfigInput } from '#config/schema.ts';
import { fixture, type Json } from '#support/events.ts';
import { createService } from '#support/local-services.ts';

const START = new Date('2026-11-21T09:00:00Z');
const SLACK = {
  webhookUrlParameter: '/harbormaster/slack-webhook',
  minimumSeverity: 'info' as const,
};

let stack: LocalStack;
afterEach(async () => stack?.close());

const start = async (config: ConfigInput = {}) => {
  stack = await startLocalStack({ now: START, config: { alerts: { slack: SLACK }, ...config } });
  return stack;
};

type ChatPayload = {
  content: { title: string; description: string };
  metadata: { threadId: string };
};
const snsAlerts = () =>
  stack.local.sns.messages(stack.topicArn).map((m) => {
    const perProtocol = JSON.parse(m.message) as { default: string; email: string };
    return {
      subject: m.subject ?? '',
      attributes: m.messageAttributes,
      chat: JSON.parse(perProtocol.default) as ChatPayload,
      email: perProtocol.email,
    };
  });
/** A real ECS event from the fixtures, moved onto the simulated account's service. */
const onLocalService = (name: string, cluster = 'prod', service = 'web'): Json => {
  const event = fixture(name);
  const account = stack.local.accountId;
  const region = stack.local.region;
  return {
    ...event,
    account,
    region,
    resources: [`arn:aws:ecs:${region}:${account}:service/${cluster}/${service}`],
    detail: {
      ...(event.detail as Json),
      clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
    },
  };
};

describe('Service alerts, end to end on the embedded AWS endpoint', () => {
  it('alerts when ECS cannot place tasks, naming the reason, the deployment and what to do', async () => {
    // Prepare
    await start();
    createService(stack.local, { desiredCount: 3 });
    stack.local.ecs.setCapacity('prod', { maxRunningTasks: 1, reason: 'RESOURCE:CPU' });
    // Act
    await stack.local.clock.advance(5 * 60_000);
    await stack.settle();
    // Assess
    const placement = snsAlerts().find((a) => a.subject.includes('cannot place tasks'));
    expect(placement?.subject).toBe('[ERROR] prod/web cannot place tasks (RESOURCE:CPU)');
    expect(placement?.email).toContain('not enough CPU left on the registered container instances');
    expect(placement?.email).toMatch(/Deployment\s+ecs-svc\/\d+/);
    expect(placement?.chat.content.description).toContain('Reason from ECS: RESOURCE:CPU');
  });

  it('sends one alert per channel for a redelivered event and for 50 concurrent duplicates', async () => {
    // Prepare
    await start();
    createService(stack.local);
    await stack.settle();
    const event = onLocalService('service-action-task-start-impaired-docs');
    // Act
    stack.publish(event);
    await stack.settle();
    stack.publish(event);
    // Fifty concurrent copies with ids of their own (EventBridge's duplicates keep the id; a
    // second rule or a replay gives new ones).
    for (let i = 0; i < 50; i += 1) stack.publish({ ...event, id: `another-delivery-id-${i}` });
    await stack.settle();
    // Assess
    const impaired = snsAlerts().filter((a) =>
      a.subject.includes('cannot consistently start tasks'),
    );
    expect(impaired).toHaveLength(1);
    expect(
      stack.local.slack.posts.filter((p) =>
        JSON.stringify(p.body).includes('cannot consistently start'),
      ),
    ).toHaveLength(1);
    expect(
      stack.lambda.invocations.filter(
        (i) =>
          i.function === 'service-alerts' &&
          JSON.stringify(i.event).includes('SERVICE_TASK_START_IMPAIRED'),
      ),
    ).toHaveLength(52);
  });

  it("honours Slack's Retry-After on HTTP 429", async () => {
    // Prepare
    await start();
    createService(stack.local);
    await stack.settle();
    stack.local.slack.respondNext({ status: 429, retryAfterSeconds: 1 });
    const before = stack.local.slack.delivered().length;
    // Act
    const started = Date.now();
    stack.publish(onLocalService('service-action-placement-failure-ec2-cpu-docs'));
    await stack.settle();
    // Assess
    expect(stack.local.slack.delivered().length - before).toBe(1);
    expect(stack.local.slack.posts.length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('retries throttled ECS calls through the SDK and still alerts', async () => {
    // Prepare
    await start();
    createService(stack.local);
    await stack.settle();
    stack.local.calls.clear();
    stack.local.faults.inject({
      service: 'ecs',
      operation: 'DescribeServices',
      error: 'ThrottlingException',
      times: 2,
    });
    // Act
    stack.publish(onLocalService('service-action-placement-failure-ec2-cpu-docs'));
    await stack.settle();
    // Assess
    expect(stack.local.calls.count('ecs', 'DescribeServices')).toBe(3);
    expect(snsAlerts().map((a) => a.subject)).toContain(
      '[ERROR] prod/web cannot place tasks (RESOURCE:CPU)',
    );
  });

  it('alerts without the task definitions when DescribeServices is denied', async () => {
    // Prepare
    await start();
    stack.local.faults.inject({
      service: 'ecs',
      operation: 'DescribeServices',
      error: 'AccessDeniedException',
    });
    // Act
    stack.publish(onLocalService('service-action-placement-failure-ec2-cpu-docs'));
    await stack.settle();
    // Assess
    expect(snsAlerts().map((a) => a.subject)).toStrictEqual([
      '[ERROR] prod/web cannot place tasks (RESOURCE:CPU)',
    ]);
  });

  it('dead-letters an invocation that keeps failing, with an alert saying what was left undone', async () => {
    // Prepare
    await start({ aws: { maxAttempts: 2 } });
    stack.local.faults.inject({
      service: 'ecs',
      operation: 'DescribeServices',
      error: 'ServerException',
    });
    // Act
    stack.publish(onLocalService('service-action-placement-failure-ec2-cpu-docs'));
    // Lambda retries 1 and then 2 minutes later.
    await stack.elapse(4 * 60_000);
    // Assess
    const attempts = stack.lambda.invocations.filter((i) => i.function === 'service-alerts');
    expect(attempts.map((i) => i.attempt)).toStrictEqual([1, 2, 3]);
    expect(stack.local.calls.count('ecs', 'DescribeServices')).toBe(6);
    const alert = snsAlerts().find((a) => a.chat.content.title.includes('failed after 3 attempts'));
    expect(alert?.chat.content.title).toBe(
      ':red_circle: Harbormaster harbormaster-local-service-alerts failed after 3 attempts',
    );
    expect(alert?.email).toContain('An ECS alert for prod/web was not delivered.');
    const parked = stack.local.sqs.messages('harbormaster-local-dead-letters');
    expect(parked).toHaveLength(1);
    expect(JSON.parse(parked[0]?.body ?? '{}')).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    });
  });

  it('drops a malformed event without retrying, counting it', async () => {
    // Prepare
    await start();
    // Act
    await stack.lambda.invokeAsync('service-alerts', {
      'detail-type': 'ECS Service Action',
      source: 'aws.ecs',
      detail: 'nope',
    });
    // Assess
    expect(stack.lambda.invocations.filter((i) => i.function === 'service-alerts')).toHaveLength(1);
    expect(stack.lambda.invocations[0]?.result).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining('detail'),
    });
    expect(stack.lambda.telemetry['service-alerts']?.counts.InvalidEvents).toBe(1);
    expect(snsAlerts()).toHaveLength(0);
  });
});
