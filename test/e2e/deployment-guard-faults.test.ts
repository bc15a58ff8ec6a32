import { afterEach, describe, expect, it } from 'vitest';
import type { CompletedCall } from '#apps/local/lambda/attempts.ts';
import { type GuardStack, startGuardStack } from '#support/guard-stack.ts';

// The faults of issue 10, one at a time, at each point of a rollback: a DynamoDB write applied
// and its answer lost (DynamoDB documents that a request answered with a 500 may have succeeded:
// Programming.Errors.html, "Error retries and exponential backoff"), and an attempt that dies
// between two calls (Lambda's timeout, out of memory), retried 1 and 2 minutes later
// (invocation-async-error-handling). Whatever the point, the service is rolled back with exactly
// one UpdateService and the rollback is reported exactly once, after it happened.

let guard: GuardStack | undefined;
afterEach(async () => {
  await guard?.stack.close();
  guard = undefined;
});

type Keyed = { pk?: { S?: string }; sk?: { S?: string } };

/** The DynamoDB key (`pk`) a call names, in its Item or its Key. */
const pkOf = (input: unknown): string => {
  const body = input as { Item?: Keyed; Key?: Keyed };
  return body.Item?.pk?.S ?? body.Key?.pk?.S ?? '';
};

/** The sort key a guard table call names. */
const skOf = (input: unknown): string => {
  const body = input as { Item?: Keyed; Key?: Keyed };
  return body.Item?.sk?.S ?? body.Key?.sk?.S ?? '';
};

/** A crash point: kills the first guard attempt whose answered call matches, once. */
const crashOnce = (matches: (call: CompletedCall) => boolean) => {
  const crashed: string[] = [];
  const afterCall = (call: CompletedCall) => {
    if (crashed.length > 0 || call.attempt.function !== 'deployment-guard') return;
    if (!matches(call)) return;
    crashed.push(`${call.command} ${pkOf(call.input)}`);
    call.attempt.kill('crashed');
  };
  return { afterCall, crashed };
};

const isRollbackLease = (input: unknown) => pkOf(input).startsWith('rollback#');

/** Deploys a revision whose tasks crash, lets the guard work for 20 minutes. */
const failDeployment = async (g: GuardStack) => {
  g.deploy({ kind: 'crash', afterMs: 5_000, exitCode: 2 });
  await g.elapse(20);
};

/** What each guard invocation reported for the rollback actions it ran, in order. */
const rollbackOutcomes = (g: GuardStack): string[] =>
  g.stack.lambda.invocations
    .filter((i) => i.function === 'deployment-guard')
    .flatMap((i) => i.result?.actions.filter((a) => a.type === 'rollback') ?? [])
    .map((a) => `${a.status}: ${a.detail ?? ''}`);

const expectOneRollback = (g: GuardStack) => {
  // Never two rollbacks reported done (a retry finds the first one's lease done).
  expect(rollbackOutcomes(g).filter((o) => o.startsWith('done'))).toHaveLength(
    rollbackOutcomes(g).some((o) => o.startsWith('done')) ? 1 : 0,
  );
  expect(g.guardUpdates().filter((c) => c.status === 200)).toHaveLength(1);
  expect(g.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(g.v1);
  const rolledBack = g.deploymentAlerts().filter((a) => /rolled back to web:1/.test(a.subject));
  expect(rolledBack).toHaveLength(1);
  expect(g.alerts().filter((a) => a.kind === 'dead-letter')).toStrictEqual([]);
};

describe('Deployment guard: a lost answer to any DynamoDB write of the rollback', () => {
  it.each([
    ['the rollback lease claim', 'PutItem', isRollbackLease],
    ['the rollback lease marked done', 'UpdateItem', isRollbackLease],
    [
      'the guard record of the rollback',
      'PutItem',
      (input: unknown) => skOf(input).startsWith('rollback#'),
    ],
  ])(
    'rolls back once when %s is applied and its answer lost',
    async (_what, operation, matches) => {
      // Prepare: the write is applied, then answered with a 500 (the SDK sends it again)
      guard = await startGuardStack();
      const fault = guard.local.faults.inject({
        service: 'dynamodb',
        operation,
        error: 'ServerException',
        afterOperation: true,
        times: 1,
        when: ({ input, principalArn }) =>
          principalArn.includes('deployment-guard') && matches(input),
      });
      // Act
      await failDeployment(guard);
      // Assess: the fault fired, and nothing was lost or doubled
      expect(fault.remaining).toBe(0);
      expectOneRollback(guard);
      // The attempt whose answer was lost found its own write and rolled back there and then (not
      // after waiting for a lease it mistook for another's to expire).
      const firstClaim = guard.local.calls
        .list('dynamodb', 'PutItem', 'deployment-guard')
        .find((c) => isRollbackLease(c.input));
      expect(guard.guardUpdates()[0]?.at).toStrictEqual(firstClaim?.at);
    },
  );
});

describe('Deployment guard: an attempt that dies between claim and completion', () => {
  it.each([
    [
      'right after claiming the rollback lease',
      (c: CompletedCall) => c.command === 'PutItemCommand' && isRollbackLease(c.input),
    ],
    [
      'right after UpdateService answered',
      (c: CompletedCall) => c.command === 'UpdateServiceCommand',
    ],
    [
      'right after the rollback lease was marked done',
      (c: CompletedCall) => c.command === 'UpdateItemCommand' && isRollbackLease(c.input),
    ],
    ['right after the alert was published', (c: CompletedCall) => c.command === 'PublishCommand'],
  ])('rolls back once and reports it once when it dies %s', async (_what, point) => {
    // Prepare
    const crash = crashOnce(point);
    guard = await startGuardStack({ afterCall: crash.afterCall });
    // Act
    await failDeployment(guard);
    // Assess: the crash happened, Lambda retried, and the outcome is as without it
    expect(crash.crashed).toHaveLength(1);
    const died = guard.stack.lambda.invocations.filter(
      (i) => i.function === 'deployment-guard' && i.died === 'crashed',
    );
    expect(died).toHaveLength(1);
    const retried = guard.stack.lambda.invocations.filter(
      (i) => i.function === 'deployment-guard' && i.requestId === died[0]?.requestId,
    );
    expect(retried.length).toBeGreaterThan(1);
    expect(retried.at(-1)?.error).toBeUndefined();
    if (crash.crashed[0]?.startsWith('PublishCommand')) {
      // An alert's send cannot be checked afterwards: the retry does not send it again. The
      // rollback alert itself went out before the crash; the rollback is still done once.
      expect(guard.guardUpdates().filter((c) => c.status === 200)).toHaveLength(1);
      expect(guard.local.ecs.service('prod', 'web')?.taskDefinitionArn).toBe(guard.v1);
      const subjects = guard.deploymentAlerts().map((a) => `${a.threadId} ${a.subject}`);
      expect(new Set(subjects).size).toBe(subjects.length);
    } else expectOneRollback(guard);
  });
});

describe('Deployment guard: redelivery after the work is done', () => {
  it('does nothing more when every event of the failed deployment is delivered again an hour later', async () => {
    // Prepare
    guard = await startGuardStack();
    await failDeployment(guard);
    const events = guard.local.events.filter(
      (e) => e['detail-type'] === 'ECS Task State Change' && e.detail.lastStatus === 'STOPPED',
    );
    const alertsBefore = guard.alerts().length;
    // Act: past the plan journal's and the alert leases' windows
    await guard.elapse(60);
    for (const event of events) guard.stack.publish(event);
    await guard.stack.settle();
    // Assess
    expect(events.length).toBeGreaterThan(2);
    expectOneRollback(guard);
    expect(guard.alerts()).toHaveLength(alertsBefore);
  });
});
