import { eventsOf } from '@harbormaster/local-aws/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type GuardStack, startGuardStack } from '#support/guard-stack.ts';

let guard: GuardStack | undefined;
afterEach(async () => {
  await guard?.stack.close();
  guard = undefined;
});

/** The wake-up schedules that invoked the guard, by name. */
const wakeupsOf = (g: Awaited<ReturnType<typeof startGuardStack>>): string[] =>
  g.local.scheduler.firings
    .filter((f) => f.schedule.startsWith('deployment-guard-'))
    .map((f) => f.schedule);

const start = async (options: Parameters<typeof startGuardStack>[0] = {}) => {
  guard = await startGuardStack(options);
  return guard;
};

/** The subjects of the deployment alerts in one thread, in order. */
const thread = (g: GuardStack, threadId: string) =>
  g
    .deploymentAlerts()
    .filter((a) => a.threadId === threadId)
    .map((a) => a.subject);

const threadOfDeployment = (deploymentId: string) =>
  `ecs-prod-web-${deploymentId.replace('ecs-svc/', '')}`;

/** The new deployment's id, from its IN_PROGRESS event. */
const newDeploymentId = (g: GuardStack): string =>
  String(
    eventsOf(g.local, 'ECS Deployment State Change').findLast(
      (e) => e.detail.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS',
    )?.detail.deploymentId,
  );

const deploymentEventNames = (g: GuardStack) =>
  eventsOf(g.local, 'ECS Deployment State Change').map((e) => e.detail.eventName);

describe('Deployment guard, end to end: failed tasks, deadline and ECS\u2019s own rollback', () => {
  it('rolls back an image that cannot be pulled after 3 failed tasks, at most 4 ECS calls per task event, one thread of alerts', async () => {
    // Prepare: ECS's own breaker is off
    const g = await start({ desiredCount: 1, circuitBreaker: { enable: false, rollback: false } });
    // Act
    g.deploy({ kind: 'image-pull-failure' }, 'public.ecr.aws/nginx/nginx:does-not-exist');
    const id = newDeploymentId(g);
    await g.elapse(20);
    // Assess
    expect(
      g.guardUpdates().map((c) => (c.input as { taskDefinition: string }).taskDefinition),
    ).toStrictEqual([g.v1]);
    expect(g.local.ecs.service('prod', 'web')).toMatchObject({ taskDefinitionArn: g.v1 });
    expect(thread(g, threadOfDeployment(id))).toStrictEqual([
      '[INFO] prod/web deployment started',
      '[WARNING] prod/web deployment failing: 1 task failed',
      '[ERROR] prod/web rolled back to web:1 (failed tasks)',
      '[INFO] prod/web rollback completed: back on web:1',
    ]);
    const rolledBack = g.deploymentAlerts().find((a) => a.subject.includes('rolled back'));
    expect(rolledBack?.email).toContain('Task definition: web:2 \u2192 web:1.');
    expect(rolledBack?.email).toMatch(
      /After 3 failed tasks and \d+ minutes since the deployment started\./,
    );
    expect(rolledBack?.email).toContain('failed-to-start: CannotPullContainerError');
    for (const invocation of g.taskInvocations())
      expect(invocation.calls.length).toBeLessThanOrEqual(4);
    expect(g.taskInvocations().find((i) => i.calls.includes('UpdateService'))?.calls).toStrictEqual(
      ['DescribeServices', 'ListTasks', 'DescribeTasks', 'UpdateService'],
    );
    // The endpoint's call log agrees with the per-invocation counts.
    const counted = g.invocations.flatMap((i) => i.calls);
    for (const op of ['ListTasks', 'DescribeTasks', 'UpdateService'])
      expect(g.local.calls.count('ecs', op, 'deployment-guard')).toBe(
        counted.filter((c) => c === op).length,
      );
  });

  it('rolls back tasks that start and then crash, which ECS\u2019s breaker never counts', async () => {
    // Prepare
    const g = await start({ desiredCount: 2 });
    // Act
    g.deploy({ kind: 'crash', afterMs: 5_000, exitCode: 3 });
    await g.elapse(20);
    // Assess
    expect(deploymentEventNames(g)).not.toContain('SERVICE_DEPLOYMENT_FAILED');
    expect(g.guardUpdates()).toHaveLength(1);
    const rolledBack = g.deploymentAlerts().find((a) => a.subject.includes('rolled back'));
    expect(rolledBack?.email).toContain('crashed: Essential container in task exited [app exit 3]');
    expect(g.local.ecs.service('prod', 'web')?.deployments).toMatchObject([
      { taskDefinitionArn: g.v1, rolloutState: 'COMPLETED' },
    ]);
  });

  it('rolls back health-check kills at 3 failures when ECS\u2019s breaker would wait for 5 (10 tasks)', async () => {
    // Prepare
    const g = await start({ desiredCount: 10 });
    // Act
    g.deploy({ kind: 'health-check-failure', afterMs: 30_000, check: 'elb' });
    await g.elapse(20);
    // Assess
    expect(deploymentEventNames(g)).not.toContain('SERVICE_DEPLOYMENT_FAILED');
    expect(g.guardUpdates()).toHaveLength(1);
    const rolledBack = g.deploymentAlerts().find((a) => a.subject.includes('rolled back'));
    expect(rolledBack?.email).toMatch(/After 3 failed tasks/);
    expect(rolledBack?.email).toContain('health-check-failed: Task failed ELB health checks');
  });

  it('rolls back out-of-memory kills', async () => {
    // Prepare
    const g = await start({ desiredCount: 2 });
    // Act
    g.deploy({ kind: 'oom', afterMs: 10_000 });
    await g.elapse(20);
    // Assess
    expect(g.guardUpdates()).toHaveLength(1);
    expect(g.deploymentAlerts().find((a) => a.subject.includes('rolled back'))?.email).toContain(
      'out-of-memory: Essential container in task exited [app exit 137 (OutOfMemoryError: Container killed due to memory usage)]',
    );
  });

  it('rolls back a deployment that is not COMPLETED by its deadline, woken at that minute', async () => {
    // Prepare: tasks run but never pass their health checks; a 15-minute deadline from a tag
    const g = await start({ tags: { 'harbormaster:guard:deadline': '15' } });
    // Act
    g.deploy({ kind: 'health-check-failure', afterMs: 3 * 60 * 60_000, check: 'elb' });
    await g.elapse(14);
    const before = g.guardUpdates().length;
    await g.elapse(2);
    // Assess
    expect(before).toBe(0);
    expect(g.guardUpdates()).toHaveLength(1);
    expect(g.guardUpdates()[0]?.at.toISOString()).toBe('2026-11-21T09:20:00.000Z');
    // Woken by its one-time schedule (the backstop runs at 09:00, 09:15 and 09:30).
    expect(wakeupsOf(g)).toContainEqual(
      expect.stringMatching(/^deployment-guard-20261121T0920-[0-9a-f]{8}$/),
    );
    const rolledBack = g.deploymentAlerts().find((a) => a.subject.includes('rolled back'));
    expect(rolledBack?.subject).toBe('[ERROR] prod/web rolled back to web:1 (deadline)');
    expect(rolledBack?.email).toContain(
      'The deployment is not COMPLETED 15 minutes after it started',
    );
  });

  it('cancels the deadline\u2019s wake-up of a deployment that completes; only the end of its bake time wakes the guard', async () => {
    // Prepare
    const g = await start();
    const fired = wakeupsOf(g).length;
    // Act
    g.deploy(undefined);
    await g.elapse(60);
    // Assess: the deadline's own schedule (…-<key>) was created, then deleted, and never fired.
    const scheduler = g.local.calls.list('scheduler');
    const keyed = /deployment-guard-20261121T0935-[0-9a-f]{8}/;
    expect(
      scheduler
        .filter((c) => c.status === 200 && keyed.test(JSON.stringify(c.input)))
        .map((c) => c.operation),
    ).toStrictEqual(['CreateSchedule', 'DeleteSchedule']);
    // Woken by shared schedules only (the first deployment's bake end at 09:11, this one's at 09:16).
    expect(wakeupsOf(g).slice(fired)).toStrictEqual([
      'deployment-guard-20261121T0911',
      'deployment-guard-20261121T0916',
    ]);
    expect(
      g.local.scheduler.schedules().filter((sch) => sch.name.startsWith('deployment-guard-')),
    ).toStrictEqual([]);
    expect(g.guardUpdates()).toHaveLength(0);
  });

  it('still rolls back when the deadline\u2019s wake-up is lost: the backstop sweep finds it due', async () => {
    // Prepare
    const g = await start({ tags: { 'harbormaster:guard:deadline': '15' } });
    g.deploy({ kind: 'health-check-failure', afterMs: 3 * 60 * 60_000, check: 'elb' });
    await g.elapse(1);
    // Act: the one-time schedule is gone (as if Scheduler had dropped its invocation).
    const deadline = g.local.scheduler
      .schedules()
      .filter((sch) => sch.name.startsWith('deployment-guard-20261121T0920-'));
    expect(deadline).toHaveLength(1);
    for (const sch of deadline) g.local.scheduler.deleteSchedule(sch.name);
    await g.elapse(30);
    // Assess
    expect(g.guardUpdates().map((u) => u.at.toISOString())).toStrictEqual([
      '2026-11-21T09:30:00.000Z',
    ]);
  });

  it('leaves ECS\u2019s own breaker rollback alone and reports it in the failed deployment\u2019s thread', async () => {
    // Prepare: one task, so ECS's threshold (3) equals the guard's
    const g = await start({ desiredCount: 1 });
    // Act
    g.deploy({ kind: 'image-pull-failure' });
    const id = newDeploymentId(g);
    await g.elapse(30);
    // Assess
    expect(deploymentEventNames(g).slice(-4)).toStrictEqual([
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_FAILED',
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
    ]);
    expect(g.guardUpdates()).toHaveLength(0);
    // ECS emits FAILED and its rollback at the same instant: their alerts may come in either order.
    const alerts = thread(g, threadOfDeployment(id));
    expect(alerts.slice(0, 2)).toStrictEqual([
      '[INFO] prod/web deployment started',
      '[WARNING] prod/web deployment failing: 1 task failed',
    ]);
    expect(alerts.slice(2, 4).sort()).toStrictEqual([
      '[ERROR] prod/web deployment failed',
      '[WARNING] prod/web ECS is rolling back a failed deployment',
    ]);
    expect(alerts.slice(4)).toStrictEqual(['[INFO] prod/web rollback completed: back on web:1']);
  });
});
