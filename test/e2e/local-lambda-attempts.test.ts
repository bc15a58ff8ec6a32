import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';
import { fixture } from '#support/events.ts';

// Lambda ends an attempt at the function's timeout ("Task timed out after N seconds"): nothing it
// does after that reaches AWS, and an asynchronous invocation is retried 1 and 2 minutes later,
// then handed to its on-failure destination (invocation-async-error-handling).

let stack: LocalStack;
afterEach(async () => stack?.close());

describe('local Lambda host: attempts end at their deadline', () => {
  it('makes no call past the timeout, retries twice on the simulated clock, then dead-letters', async () => {
    // Prepare: service-alerts with no time at all to run
    stack = await startLocalStack({
      now: new Date('2026-11-21T09:00:00Z'),
      timeouts: { 'service-alerts': 0 },
    });
    const event = fixture('service-action-placement-failure-ec2-cpu-docs');
    // Act
    stack.publish(event);
    await stack.settle();
    await stack.elapse(5 * 60_000);
    // Assess
    const attempts = stack.lambda.invocations.filter((i) => i.function === 'service-alerts');
    expect(attempts.map((a) => [a.attempt, a.died])).toStrictEqual([
      [1, 'timed out'],
      [2, 'timed out'],
      [3, 'timed out'],
    ]);
    expect(
      attempts.map((a) => (a.at.getTime() - (attempts[0]?.at.getTime() ?? 0)) / 60_000),
    ).toStrictEqual([0, 1, 3]);
    // Its calls never reached the endpoint: no lease, no alert.
    const fromServiceAlerts = stack.local.calls.entries.filter((c) =>
      (c.userAgent ?? '').includes('harbormaster/harbormaster-local-service-alerts'),
    );
    expect(fromServiceAlerts).toStrictEqual([]);
    expect(stack.lambda.invocations.filter((i) => i.function === 'dead-letters')).toHaveLength(1);
  });
});
