import { describe, expect, it } from 'vitest';
import { notifyRunner } from '#alerts/notify.ts';
import { type GuardAction, guardAlertRenderers, guardRunners } from '#guard/actions/index.ts';
import type { RollbackAction } from '#guard/actions/rollback.ts';
import { execute } from '#kernel/execute.ts';
import { standaloneInvocation } from '#kernel/invocation.ts';
import { awsError, fakePorts, recordingTelemetry } from '#support/fakes.ts';
import { watchOf } from '#support/guard.ts';

const NOW = new Date('2020-05-23T11:12:00Z');

const rollback: RollbackAction = {
  type: 'rollback',
  cluster: 'default',
  service: 'servicetest',
  taskDefinition: 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:2',
  record: {
    cluster: 'default',
    service: 'servicetest',
    fromDeploymentId: 'ecs-svc/123',
    fromTaskDefinition: 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:3',
    toTaskDefinition: 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:2',
    trigger: 'failed-tasks',
    at: NOW.toISOString(),
    rollbackDeploymentId: undefined,
  },
};

const RUNNERS = { ...guardRunners, notify: notifyRunner(guardAlertRenderers) };

const setup = (options: { ecsError?: Error } = {}) => {
  const fakes = fakePorts();
  if (options.ecsError) {
    const error = options.ecsError;
    fakes.ports.ecs.updateServiceTaskDefinition = async () => {
      throw error;
    };
  }
  const run = (actions: GuardAction[], dryRun = false, requestId?: string) =>
    execute(actions, RUNNERS, {
      ports: fakes.ports,
      telemetry: recordingTelemetry().telemetry,
      now: NOW,
      dryRun,
      invocation: {
        ...standaloneInvocation(() => NOW),
        ...(requestId ? { requestId, attemptId: `${requestId}/${Math.random()}` } : {}),
      },
      leases: fakes.leases,
      clock: () => NOW,
    });
  return { run, ...fakes };
};

describe('Action runners of the deployment guard', () => {
  it('says what an updated watch waits for: only a watch with a bake time is "baking"', async () => {
    // Prepare
    const { run } = setup();
    const due = '2020-05-24T11:12:00.000Z';
    // Act: a bake time, a moved deadline, and a watch kept after its deadline fired (no bake)
    const results = await run([
      {
        type: 'update-watch',
        watch: watchOf({ bakeUntil: '2020-05-23T11:22:00.000Z' }),
        dueAt: '2020-05-23T11:22:00.000Z',
      },
      {
        type: 'update-watch',
        watch: watchOf({ deadlineAt: '2020-05-23T11:45:00.000Z' }),
        dueAt: '2020-05-23T11:45:00.000Z',
      },
      {
        type: 'update-watch',
        watch: watchOf({ deadlineAt: undefined, bakeUntil: undefined }),
        dueAt: due,
      },
    ]);
    // Assess
    expect(results.map((r) => r.detail)).toStrictEqual([
      'baking until 2020-05-23T11:22:00.000Z',
      'deadline 2020-05-23T11:45:00.000Z',
      `kept for its alarms until ${due}, then cleaned up`,
    ]);
  });

  it('rolls back with UpdateService once, under its lease, and records the deployment it started', async () => {
    // Prepare
    const { run, ecsCalls, guardStore } = setup();
    // Act
    const first = await run([rollback]);
    const second = await run([rollback]);
    // Assess
    expect(first[0]).toMatchObject({
      status: 'done',
      detail: 'UpdateService to web:2: deployment ecs-svc/9999999999999999999',
    });
    expect(second[0]).toMatchObject({
      status: 'skipped',
      detail: 'already done: UpdateService to web:2: deployment ecs-svc/9999999999999999999',
    });
    expect(ecsCalls).toStrictEqual([
      'updateService default/servicetest arn:aws:ecs:us-west-2:111122223333:task-definition/web:2',
    ]);
    expect(guardStore.rollbacks).toStrictEqual([
      { ...rollback.record, rollbackDeploymentId: 'ecs-svc/9999999999999999999' },
    ]);
  });

  it('keeps the record of a rollback that failed transiently, for the retry that rolls back', async () => {
    // Prepare
    const { run, guardStore, ports, ecsCalls } = setup({
      ecsError: awsError('ThrottlingException', 'Rate exceeded'),
    });
    const update = ports.ecs.updateServiceTaskDefinition;
    // Act
    await expect(run([rollback], false, 'r-1')).rejects.toThrow('Rate exceeded');
    const kept = guardStore.rollbacks;
    ports.ecs.updateServiceTaskDefinition = async (cluster, service, taskDefinition) => {
      ecsCalls.push(`updateService ${cluster}/${service} ${taskDefinition}`);
      return { deploymentId: 'ecs-svc/2', taskDefinition };
    };
    const [retry] = await run([rollback], false, 'r-1');
    // Assess
    expect(update).not.toBe(ports.ecs.updateServiceTaskDefinition);
    expect(kept).toStrictEqual([rollback.record]);
    expect(retry).toMatchObject({
      status: 'done',
      detail: 'UpdateService to web:2: deployment ecs-svc/2',
    });
    expect(ecsCalls.filter((c) => c.startsWith('updateService'))).toHaveLength(1);
  });

  it('forgets the record when UpdateService refuses the rollback for good', async () => {
    // Prepare
    const { run, guardStore } = setup({
      ecsError: awsError('ServiceNotFoundException', 'Service not found.'),
    });
    // Act + Assess
    await expect(run([rollback])).rejects.toThrow('Service not found.');
    expect(guardStore.rollbacks).toStrictEqual([]);
  });

  it('only says what it would do in dry-run', async () => {
    // Prepare
    const { run, ecsCalls, guardStore } = setup();
    // Act
    const [result] = await run([rollback], true);
    // Assess
    expect(result).toMatchObject({
      status: 'dry-run',
      detail: 'would roll default/servicetest back to web:2 (deployment ecs-svc/123, failed-tasks)',
    });
    expect(ecsCalls).toStrictEqual([]);
    expect(guardStore.rollbacks).toStrictEqual([]);
  });

  it('starts, moves and ends a watch; a redelivered start keeps the first', async () => {
    // Prepare
    const { run, guardStore } = setup();
    const watch = watchOf({ alarms: ['web-5xx'] });
    // Act
    const started = await run([
      { type: 'watch-deployment', watch, dueAt: '2020-05-23T11:30:00.000Z' },
      {
        type: 'watch-deployment',
        watch: { ...watch, alarms: [] },
        dueAt: '2020-05-23T11:31:00.000Z',
      },
    ]);
    await run([
      {
        type: 'update-watch',
        watch: { ...watch, bakeUntil: '2020-05-23T11:40:00.000Z' },
        dueAt: '2020-05-23T11:40:00.000Z',
      },
    ]);
    const dueBefore = await guardStore.dueWatches(new Date('2020-05-23T11:39:00Z'));
    await run([{ type: 'end-watch', watch }]);
    // Assess
    expect(started.map((r) => r.status)).toStrictEqual(['done', 'skipped']);
    expect(dueBefore).toStrictEqual([]);
    expect(guardStore.watches).toStrictEqual([]);
    expect(await guardStore.watchesForAlarm('web-5xx')).toStrictEqual([]);
  });
});
