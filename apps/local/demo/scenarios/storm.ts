import { FUNCTIONS } from '#functions/registry.ts';
import { revision } from '../account.ts';
import { elapse, type Scenario } from './scenario.ts';

const FUNCTION_NAMES = Object.keys(FUNCTIONS);

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * A service of 1,000 tasks deploys a revision whose tasks crash: thousands of STOPPED events
 * arrive within seconds. The guard tallies them in its table and calls ECS only at the threshold,
 * so the storm costs a dozen ECS calls and no throttling, however many tasks fail.
 */
const stormScenario = (TASKS: number): Scenario => ({
  name: 'storm',
  title: `A ${count(TASKS)}-task service fails: the ECS calls Harbormaster makes, and the throttling (none)`,
  explains: [
    `prod/feed runs ${count(TASKS)} tasks, then deploys an image whose app exits with code 3 five`,
    'seconds after it starts: every new task crashes, and ECS keeps replacing them. Each STOPPED',
    'event reaches the guard, which counts it in its table without calling ECS until the',
    "configured count (3), rolls back once, and ignores the rest. The endpoint enforces ECS's",
    'documented token buckets, so a storm of ECS calls would show as throttled calls below.',
  ],
  run: async (stack, timeline) => {
    const { local } = stack;
    const image = '111122223333.dkr.ecr.us-east-1.amazonaws.com/feed';
    const v1 = revision(stack, 'feed', `${image}:7.0.0`);
    await timeline.quietly(async () => {
      local.ecs.createService({
        cluster: 'prod',
        serviceName: 'feed',
        taskDefinition: v1,
        desiredCount: TASKS,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] },
        },
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          minimumHealthyPercent: 100,
        },
      });
      await elapse(stack, 3);
    });
    const running = local.ecs
      .tasks({ cluster: 'prod', family: 'feed' })
      .filter((t) => t.lastStatus === 'RUNNING').length;
    timeline.note(`prod/feed is at steady state with ${count(running)} tasks; deploying 7.1.0`);
    const events = local.events.length;
    const calls = local.calls.entries.length;
    const invocations = stack.lambda.invocations.length;
    const broken = revision(stack, 'feed', `${image}:7.1.0`);
    local.ecs.setBehavior(broken, { kind: 'crash', afterMs: 5_000, exitCode: 3 });
    local.ecs.call('UpdateService', { cluster: 'prod', service: 'feed', taskDefinition: broken });
    await timeline.quietly(() => elapse(stack, 5));

    const stopped = local.events.slice(events).filter((e) => {
      const detail = e.detail as { lastStatus?: string; group?: string };
      return detail.lastStatus === 'STOPPED' && detail.group === 'service:feed';
    }).length;
    const ours = local.calls.entries
      .slice(calls)
      .filter((c) => c.service === 'ecs' && FUNCTION_NAMES.some((f) => c.userAgent?.includes(f)));
    const byOperation = new Map<string, number>();
    for (const c of ours) byOperation.set(c.operation, (byOperation.get(c.operation) ?? 0) + 1);
    const throttled = ours.filter((c) => c.errorCode === 'ThrottlingException').length;
    const guard = stack.lambda.invocations
      .slice(invocations)
      .filter((i) => i.function === 'deployment-guard');
    const rollback = guard.find((i) => i.result?.actions.some((a) => a.type === 'rollback'));
    const firstFailure = local.events.slice(events).find((e) => {
      const detail = e.detail as { lastStatus?: string; group?: string };
      return detail.lastStatus === 'STOPPED' && detail.group === 'service:feed';
    });
    const seconds = (from: string | undefined, to: Date | undefined): string =>
      from && to ? `${Math.round((to.getTime() - Date.parse(from)) / 1000)} s` : '?';
    timeline.note('What the storm cost', [
      `${count(stopped)} STOPPED events of prod/feed; ${count(guard.length)} deployment-guard invocations (duplicates included)`,
      `Harbormaster's ECS calls: ${count(ours.length)} (${[...byOperation]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([operation, n]) => `${operation} ${n}`)
        .join(', ')}); throttled: ${throttled}`,
      rollback
        ? `Rolled back once at ${stack.config.deploymentGuard.failedTasks.count} failed tasks (deploymentGuard.failedTasks.count), ${seconds(firstFailure?.time, rollback.at)} after the first STOPPED event: ${rollback.result?.reason ?? ''}`
        : 'No rollback was decided.',
    ]);
  },
});

/** The storm at the size the issue names (`npm start -- storm`). */
const ecsStorm = stormScenario(1_000);

export { ecsStorm, stormScenario };
