import { describe, expect, it } from 'vitest';
import { startGuardStack } from '#support/guard-stack.ts';

describe('Deployment guard under a burst of STOPPED events', () => {
  it('a failing 200-task service costs a bounded number of ECS calls, none after its rollback is done, and is rolled back once at the configured count', async () => {
    // Prepare: every task of the new revision crashes 5 s after it starts.
    const g = await startGuardStack({ desiredCount: 200 });
    // Act
    g.deploy({ kind: 'crash', afterMs: 5_000, exitCode: 3 });
    await g.elapse(10);
    // Assess
    const tasks = g.taskInvocations();
    const calls = tasks.flatMap((i) => i.calls);
    expect(tasks.length).toBeGreaterThanOrEqual(200);
    // The first failure and the one reaching the count ask ECS (3 calls each), the rollback one more.
    expect(calls.length).toBeLessThanOrEqual(10);
    expect(g.guardUpdates().filter((c) => c.status === 200)).toHaveLength(1);
    expect(
      g.local.calls
        .list('ecs', undefined, 'deployment-guard')
        .filter((c) => c.errorCode === 'ThrottlingException'),
    ).toStrictEqual([]);
    const rollbackAt = tasks.findIndex((i) => i.calls.includes('UpdateService'));
    expect(tasks.slice(rollbackAt + 1).flatMap((i) => i.calls)).toStrictEqual([]);
    const rolledBack = g.deploymentAlerts().find((a) => a.subject.includes('rolled back'));
    expect(rolledBack?.email).toMatch(/After 3 failed tasks/);
  }, 60_000);
});
