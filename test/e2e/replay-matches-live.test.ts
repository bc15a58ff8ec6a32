import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLAYABLE } from '../../functions/registry.ts';
import type { BehaviorSpec } from '../../infra/local-aws/index.ts';
import { replayEvents } from '../../shared/replay/replay-engine.ts';
import { type GuardStack, startGuardStack } from '../support/guard-stack.ts';

let guard: GuardStack | undefined;
afterEach(async () => {
  await guard?.stack.close();
  guard = undefined;
});

describe('Replay and live decide alike', () => {
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
      const ecs = new ECSClient({
        endpoint: g.local.url,
        region: g.local.region,
        credentials: { accessKeyId: g.local.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
      });
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
        i.result?.actions.some((a) => a.type === 'rollback-service' && a.status === 'done'),
      );
      // Act: offline, on the same events in the order the guard received them
      const { entries } = await replayEvents(
        received.map((i) => i.event),
        { state: JSON.parse(JSON.stringify(state)), config: g.stack.config, functions: REPLAYABLE },
      );
      const replayed = entries.filter((e) =>
        e.actions.some((a) => a.type === 'rollback-service' && a.status === 'done'),
      );
      // Assess
      expect(g.guardUpdates()).toHaveLength(1);
      expect(replayed).toHaveLength(1);
      expect(replayed[0]?.event.id).toBe((liveRollback?.event as { id?: string } | undefined)?.id);
      expect(replayed[0]?.actions.find((a) => a.type === 'rollback-service')?.taskDefinition).toBe(
        g.v1,
      );
    },
  );
});
