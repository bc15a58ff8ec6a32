import { afterEach, describe, expect, it } from 'vitest';
import { stormScenario } from '#apps/local/demo/scenarios/storm.ts';
import { Timeline } from '#apps/local/demo/timeline.ts';
import { type LocalStack, startLocalStack } from '#apps/local/lambda/local-stack.ts';

let stack: LocalStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('npm start -- storm (a failing service, smaller here than the 1,000 tasks it plays)', () => {
  it('prints the STOPPED events, the ECS calls by operation, no throttling and one rollback at the configured count', async () => {
    // Prepare: duplicated and reordered delivery, as npm start plays it (its account unseeded)
    stack = await startLocalStack({
      now: new Date('2026-11-21T09:00:00Z'),
      accountId: '111122223333',
      delivery: { duplicateRate: 0.15, reorderRate: 0.1, seed: 7 },
      listenersTrackWork: true,
    });
    stack.local.ecs.createCluster('prod');
    const lines: string[] = [];
    const timeline = new Timeline(stack, { json: false, write: (line) => lines.push(line) });
    // Act
    await stormScenario(40).run(stack, timeline);
    // Assess
    const summary = lines.slice(lines.indexOf('== What the storm cost'));
    expect(summary[1]).toMatch(/^ {3}\d+ STOPPED events of prod\/feed; \d+ deployment-guard/);
    expect(summary[2]).toMatch(
      /^ {3}Harbormaster's ECS calls: \d+ \(.*UpdateService 1\); throttled: 0$/,
    );
    expect(summary[3]).toMatch(/^ {3}Rolled back once at 3 failed tasks/);
    const stopped = Number(/(\d+) STOPPED/.exec(summary[1] ?? '')?.[1]);
    expect(stopped).toBeGreaterThanOrEqual(40);
    // Storm lines are summed up, not printed one by one: no ECS task line of prod/feed.
    expect(lines.filter((l) => /ECS {10}prod\/feed: task/.test(l))).toStrictEqual([]);
    const guardEcs = stack.local.calls.list('ecs', undefined, 'deployment-guard');
    expect(guardEcs.filter((c) => c.operation === 'UpdateService')).toHaveLength(1);
    expect(guardEcs.filter((c) => c.errorCode === 'ThrottlingException')).toStrictEqual([]);
  });
});
