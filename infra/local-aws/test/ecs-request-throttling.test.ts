import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsRequestBuckets } from '../ecs/request-limits.ts';
import { FARGATE_BUCKETS, type LocalAws, startLocalAws } from '../index.ts';
import { ecsClient, fargateTaskDefinition, network, START } from './harness.ts';

// "Request throttling for the Amazon ECS API"
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html) and "AWS
// Fargate throttling quotas" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/throttling.html).
describe('ECS request throttling', () => {
  let local: LocalAws;
  let ecs: ECSClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ecs = ecsClient(local);
  });

  afterEach(async () => {
    ecs.destroy();
    await local.close();
  });

  // ECS does not model ThrottlingException: the SDK raises a ServiceException by that name.
  const isThrottling = (error: unknown): boolean =>
    error instanceof Error && error.name === 'ThrottlingException';

  /** Sends `n` calls one after the other; how many were throttled. */
  const throttledOf = async (n: number, call: () => Promise<unknown>): Promise<number> => {
    let throttled = 0;
    for (let i = 0; i < n; i += 1) {
      const outcome = await call().catch((error: unknown) => error);
      if (isThrottling(outcome)) throttled += 1;
    }
    return throttled;
  };

  const listClusters = () => ecs.send(new ListClustersCommand({}));
  const describeClusters = () => ecs.send(new DescribeClustersCommand({ clusters: ['default'] }));

  it('shares the Cluster read actions bucket (50, refilling 20 a second) between DescribeClusters and ListClusters, on the simulated clock', async () => {
    // Act: the documentation's example, 25 + 25 in one (simulated) instant, then one more.
    const first = await throttledOf(25, describeClusters);
    const second = await throttledOf(25, listClusters);
    const over = await listClusters().catch((error: unknown) => error);
    await local.clock.advance(1000);
    const afterASecond = await throttledOf(21, listClusters);
    await local.clock.advance(2500);
    const refilled = await throttledOf(50, describeClusters);
    // Assess
    expect([first, second]).toStrictEqual([0, 0]);
    expect(isThrottling(over)).toBe(true);
    expect((over as Error).message).toBe('Rate exceeded');
    expect(afterASecond).toBe(1);
    expect(refilled).toBe(0);
    expect(local.throttle.counts('ecs')).toStrictEqual({
      'ecs:DescribeClusters': { calls: 75, throttled: 0 },
      'ecs:ListClusters': { calls: 47, throttled: 2 },
    });
    expect(local.throttle.summary('ecs')).toBe('122 calls, 2 throttled');
  });

  it('has the documented bucket of every action Harbormaster calls, re-checked against the table of the page', () => {
    // The page's "Request Token Bucket Sizes and Refill Rates" table: [category, capacity, refill].
    const documented: Record<string, [string, number, number]> = {
      DescribeServices: ['Service read actions', 100, 20],
      ListServices: ['Service read actions', 100, 20],
      UpdateService: ['Service modify actions', 50, 5],
      ListTasks: ['Cluster resource read actions', 100, 20],
      DescribeTasks: ['Cluster resource read actions', 100, 20],
      RunTask: ['Cluster resource modify actions', 100, 40],
      StopTask: ['Cluster resource modify actions', 100, 40],
      DescribeTaskDefinition: ['Task definition read actions', 50, 20],
      DeregisterTaskDefinition: ['Task definition modify actions', 20, 1],
      TagResource: ['Tag modify actions', 20, 10],
      DescribeServiceDeployments: ['Service deployment actions', 50, 20],
      ListServiceDeployments: ['Service deployment actions', 50, 20],
      DescribeServiceRevisions: ['Service revision actions', 50, 20],
      DescribeClusters: ['Cluster read actions', 50, 20],
    };
    const buckets = ecsRequestBuckets();
    for (const [operation, [category, capacity, refill]] of Object.entries(documented)) {
      const found = buckets.filter((b) => b.operations?.includes(operation));
      expect(
        found.map((b) => [b.name, b.capacity, b.refillPerSecond]),
        operation,
      ).toStrictEqual([[`ecs: ${category}`, capacity, refill]]);
    }
    // Not in the table, so not throttled by a request bucket.
    for (const operation of ['StopServiceDeployment', 'ContinueServiceDeployment'])
      expect(buckets.filter((b) => b.operations?.includes(operation))).toStrictEqual([]);
  });

  it('throttles DescribeServices and ListServices together beyond 100, then lets 20 a second through, and ListTasks and DescribeTasks on their own bucket', async () => {
    // Prepare
    local.ecs.createCluster('prod');
    const describe = () =>
      ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    const list = () => ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    // Act: 60 + 40 in one (simulated) instant, one more, a second later 21.
    const burst = (await throttledOf(60, describe)) + (await throttledOf(40, list));
    const over = await throttledOf(1, describe);
    const tasks =
      (await throttledOf(50, () => ecs.send(new ListTasksCommand({ cluster: 'prod' })))) +
      (await throttledOf(50, () =>
        ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: ['none'] })),
      ));
    await local.clock.advance(1000);
    const afterASecond = await throttledOf(21, describe);
    // Assess
    expect([burst, over, tasks, afterASecond]).toStrictEqual([0, 1, 0, 1]);
  });

  it('lets a test raise or lower a bucket, or turn throttling off', async () => {
    // Act
    local.throttle.setLimits('ecs: Cluster read actions', { capacity: 2, refillPerSecond: 1 });
    const lowered = await throttledOf(3, listClusters);
    local.throttle.setLimits('ecs: Cluster read actions', { capacity: 80, refillPerSecond: 20 });
    const raised = await throttledOf(70, listClusters); // 50 would have throttled 20 of them
    local.throttle.disable();
    const off = await throttledOf(60, listClusters);
    local.throttle.disable(false);
    const on = await throttledOf(11, listClusters); // 10 tokens left: calls made while off took none
    // Assess
    expect(lowered).toBe(1);
    expect(raised).toBe(0);
    expect(off).toBe(0);
    expect(on).toBe(1);
    expect(() => local.throttle.setLimits('ecs: no such bucket', { capacity: 1 })).toThrow();
  });

  it('limits Fargate RunTask launches to a bucket of 100 tasks, leaving EC2 launches to the cluster resource bucket', async () => {
    // Prepare
    local.ecs.createCluster('batch');
    local.ecs.registerTaskDefinition({
      ...fargateTaskDefinition('job'),
      requiresCompatibilities: ['EC2', 'FARGATE'],
    });
    const run = (launchType: 'FARGATE' | 'EC2') =>
      ecs.send(
        new RunTaskCommand({
          cluster: 'batch',
          taskDefinition: 'job',
          count: 10,
          launchType,
          networkConfiguration: network,
        }),
      );
    // Act
    const fargate = await throttledOf(11, () => run('FARGATE'));
    const ec2 = await throttledOf(5, () => run('EC2'));
    await local.clock.advance(1000);
    const refilled = await throttledOf(3, () => run('FARGATE'));
    // Assess: 10 calls launch 100 tasks; a second later 20 tokens came back, two calls' worth.
    expect(fargate).toBe(1);
    expect(ec2).toBe(0);
    expect(refilled).toBe(1);
    expect(local.throttle.names()).toContain(FARGATE_BUCKETS.launches);
    expect(local.throttle.counts('ecs')['ecs:RunTask']).toStrictEqual({ calls: 19, throttled: 2 });
  });
});
