import { afterEach, describe, expect, it } from 'vitest';
import { type GuardStack, startGuardStack } from '#support/guard-stack.ts';
import { createService, registerRevision } from '#support/local-services.ts';

let guard: GuardStack | undefined;
afterEach(async () => {
  await guard?.stack.close();
  guard = undefined;
});

const SERVICES = 15;

describe('Deployment guard, fan-out: one alarm watched by many deployments', () => {
  it('judges 15 watched deployments with 2 DescribeServices (10 services a call), no stopped tasks, and rolls each back once, unthrottled', async () => {
    // Prepare: 15 services tagged to watch one alarm, each 25 s into a deployment.
    const g = await startGuardStack({
      config: { aws: { ecsBudget: { callsPerSecond: 50, changesPerSecond: 10 } } },
    });
    guard = g;
    const { local } = g;
    local.cloudwatch.putAlarm('shared-5xx', { state: 'OK' });
    const names = Array.from({ length: SERVICES }, (_, i) => `api-${i}`);
    for (const service of names) {
      createService(local, { service, desiredCount: 1 });
      local.ecs.call('TagResource', {
        resourceArn: local.ecs.service('prod', service)?.arn,
        tags: [{ key: 'harbormaster:guard:alarms', value: 'shared-5xx' }],
      });
    }
    await g.elapse(1);
    for (const service of names) {
      const v2 = registerRevision(local, service, 'public.ecr.aws/nginx/nginx:1.28');
      local.ecs.call('UpdateService', { cluster: 'prod', service, taskDefinition: v2 });
    }
    await local.clock.advance(25_000);
    local.calls.clear();
    // Act
    local.cloudwatch.setAlarmState('shared-5xx', 'ALARM', 'Threshold Crossed');
    await g.elapse(1);
    // Assess
    const alarmInvocation = g.invocations.find((i) => i.kind === 'alarm-state-change');
    const calls = alarmInvocation?.calls ?? [];
    const count = (operation: string) => calls.filter((c) => c === operation).length;
    // Its load: DescribeServices for 10 services a call, before the first rollback.
    const ecsCalls = local.calls.list('ecs', undefined, 'deployment-guard').map((c) => c.operation);
    const load = ecsCalls.slice(0, ecsCalls.indexOf('UpdateService'));
    expect(load.filter((o) => o === 'DescribeServices')).toHaveLength(Math.ceil(SERVICES / 10));
    expect(count('ListTasks')).toBe(0);
    expect(g.guardUpdates().filter((c) => c.status === 200)).toHaveLength(SERVICES);
    expect(
      local.calls
        .list('ecs', undefined, 'deployment-guard')
        .filter((c) => c.errorCode === 'ThrottlingException'),
    ).toStrictEqual([]);
  }, 60_000);
});
