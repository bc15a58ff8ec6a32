import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import { fixture } from '#support/events.ts';

// The local Lambda host registers every function of serverless.yml with the embedded endpoint's
// Lambda invoker, so an AWS service that invokes a function itself (an ECS lifecycle hook, given
// the function's ARN) runs the real function definition, synchronously, and gets its answer.

let stack: LocalStack;
afterEach(async () => stack?.close());

describe('local Lambda host: functions invoked by AWS services', () => {
  it('runs a declared function when the endpoint invokes its ARN', async () => {
    // Prepare
    stack = await startLocalStack({ now: new Date('2026-11-21T09:00:00Z') });
    const { local } = stack;
    const arn = `arn:aws:lambda:${local.region}:${local.accountId}:function:harbormaster-local-service-alerts`;

    // Act
    const answer = await local.lambda.invoke(arn, fixture('service-action-steady-state-docs'));

    // Assess
    expect(answer).toMatchObject({ outcome: expect.any(String) });
    expect(stack.lambda.invocations.map((i) => i.function)).toEqual(['service-alerts']);
    expect(local.lambda.has('harbormaster-local-dead-letters')).toBe(true);
    expect(local.lambda.has('harbormaster-local-no-such-function')).toBe(false);
  });

  it('records what each attempt cost: the services it called, its CPU while it ran alone', async () => {
    // Prepare
    stack = await startLocalStack({ now: new Date('2026-11-21T09:00:00Z') });
    const { local } = stack;
    const arn = `arn:aws:lambda:${local.region}:${local.accountId}:function:harbormaster-local-service-alerts`;
    // Act: a WARN service action in the stack's account and Region is alerted (deduplicated in
    // DynamoDB, published to SNS)
    const inStack = JSON.parse(
      JSON.stringify(fixture('service-action-task-start-impaired-docs'))
        .replaceAll('us-west-2', local.region)
        .replaceAll('111122223333', local.accountId),
    );
    await local.lambda.invoke(arn, inStack);
    // Assess
    const [invocation] = stack.lambda.invocations;
    expect(invocation?.calls).toEqual(expect.arrayContaining(['DynamoDB', 'SNS']));
    expect(invocation?.ranAlone).toBe(true);
    expect(invocation?.cpuMs).toBeGreaterThan(0);
  });
});
