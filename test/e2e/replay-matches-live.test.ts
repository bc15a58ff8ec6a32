import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { BehaviorSpec } from '@harbormaster/local-aws';
import { ecsClient } from '@harbormaster/local-aws/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#apps/local/lambda/local-stack.ts';
import { inMemory } from '#apps/replay/recorded-events.ts';
import { replayEvents } from '#apps/replay/replay-engine.ts';
import { REPLAYABLE } from '#functions/registry.ts';
import {
  batchJob,
  batchSubjects,
  elapse,
  registerBatchDefinition,
  startBatchStack,
} from '#support/batch-stack.ts';
import { type GuardStack, startGuardStack } from '#support/guard-stack.ts';

let guard: GuardStack | undefined;
afterEach(async () => {
  await guard?.stack.close();
  guard = undefined;
});

describe('Replay and live decide alike: deployment guard', () => {
  it.each<[string, BehaviorSpec, number]>([
    ['an image that cannot be pulled', { kind: 'image-pull-failure' }, 1],
    ['a crash loop after running', { kind: 'crash', afterMs: 5_000 }, 2],
    ['health-check kills', { kind: 'health-check-failure', afterMs: 20_000, check: 'elb' }, 4],
  ])(
    'replaying what the guard received during %s rolls back on the same event, to the same task definition',
    async (_label, behavior, desiredCount) => {
      // Prepare
      const g = await startGuardStack({
        desiredCount,
        circuitBreaker: { enable: false, rollback: false },
      });
      guard = g;
      const ecs = ecsClient(g.local, { maxAttempts: 3 });
      const { $metadata: _m, ...state } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }),
      );
      const from = g.stack.lambda.invocations.length;
      // Act: live
      g.deploy(behavior);
      await g.elapse(20);
      const received = g.stack.lambda.invocations
        .slice(from)
        .filter((i) => i.function === 'deployment-guard' && i.attempt === 1);
      const liveRollback = received.find((i) =>
        i.result?.actions.some((a) => a.type === 'rollback' && a.status === 'done'),
      );
      // Act: offline, on the same events in the order the guard received them
      const { entries } = await replayEvents(inMemory(received.map((i) => i.event)), {
        state: [JSON.parse(JSON.stringify(state))],
        config: g.stack.config,
        functions: REPLAYABLE,
      });
      const replayed = entries.filter((e) =>
        e.actions.some((a) => a.type === 'rollback' && a.status === 'done'),
      );
      // Assess
      expect(g.guardUpdates()).toHaveLength(1);
      expect(replayed).toHaveLength(1);
      expect(replayed[0]?.event.id).toBe((liveRollback?.event as { id?: string } | undefined)?.id);
      expect(replayed[0]?.actions.find((a) => a.type === 'rollback')?.taskDefinition).toBe(g.v1);
    },
  );
});

describe('Replay and live decide alike: batch jobs', () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('replaying what batch-jobs received follows the run from the recording: same launches, same retry, same summary', async () => {
    // Prepare: 4 shards, one exits 3 once and succeeds on its retry
    stack = await startBatchStack({
      nightly: batchJob({ count: 4, retries: { attempts: 2, backoffSeconds: 60 } }),
    });
    stack.local.ecs.createCluster('batch');
    const arn = registerBatchDefinition(stack);
    stack.local.ecs.setBehavior('report', (_task, index) => ({
      kind: 'exit' as const,
      afterMs: 60_000,
      exitCodes: { app: index === 2 ? 3 : 0 },
    }));
    // What `aws ecs describe-task-definition --task-definition report --include TAGS` prints.
    const definition = stack.local.ecs.call('DescribeTaskDefinition', {
      taskDefinition: arn,
      include: ['TAGS'],
    });
    // Act: live
    await elapse(stack, 20);
    const received = stack.lambda.invocations.filter(
      (i) => i.function === 'batch-jobs' && i.attempt === 1,
    );
    const liveSummaries = batchSubjects(stack);
    // Act: offline, on the same events in the order batch-jobs received them
    const { entries, world } = await replayEvents(inMemory(received.map((i) => i.event)), {
      state: [JSON.parse(JSON.stringify(definition))],
      config: stack.config,
      functions: REPLAYABLE,
      stage: 'local',
    });
    // Assess
    const alerts = entries.flatMap((e) =>
      e.actions.filter((a) => a.function === 'batch-jobs' && a.type === 'notify'),
    );
    expect(liveSummaries).toStrictEqual(['[INFO] Batch job nightly succeeded: 4 of 4 tasks']);
    // The run's steps are decided too; only a Slack app thread would show them (threadOnly).
    expect(alerts.map((a) => a.title)).toStrictEqual([
      'Batch job nightly started: 4 tasks',
      expect.stringMatching(/^Batch job nightly: task [0-9a-f]{12} failed \(app exited 3\)$/),
      'Batch job nightly succeeded: 4 of 4 tasks',
    ]);
    const liveLaunches = stack.local.calls
      .list('ecs', 'RunTask')
      .map((c) => String((c.input as { count: number }).count));
    const replayedLaunches = world.ecs.requests
      .filter((r) => r.operation === 'RunTask')
      .map((r) => r.input.count);
    expect(liveLaunches).toStrictEqual(['4', '1']);
    expect(replayedLaunches).toStrictEqual(liveLaunches);
    expect(entries.every((e) => e.outcome !== 'invalid')).toBe(true);
  });
});
