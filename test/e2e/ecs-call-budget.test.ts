import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStackTable } from '#apps/local/lambda/serverless-functions.ts';
import { createDynamoDbBudgetStore } from '#aws/ecs/budget-store.ts';
import { createEcsCallBudget } from '#aws/ecs/call-budget.ts';
import { ecsClient } from '#aws/ecs/wire.ts';
import { parseConfig } from '#config/parse.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { startGuardStack } from '#support/guard-stack.ts';
import { createService } from '#support/local-services.ts';

// The ECS call budget (aws.ecsBudget) across execution environments: each runtime below is one
// Lambda execution environment with its own ECS client and budget, sharing only the claims table
// (infra/resources/alerting.yml) on the embedded endpoint, as the functions share it in AWS.

let local: LocalAws;
beforeEach(async () => {
  local = await startLocalAws();
  local.dynamodb.createTableFrom({
    ...readStackTable('infra/resources/alerting.yml', 'DedupTable'),
    TableName: 'claims',
  });
  createService(local);
});
afterEach(async () => local.close());

const environment = (name: string, callsPerSecond: number) =>
  createRuntime({
    functionName: name,
    config: parseConfig({ aws: { ecsBudget: { callsPerSecond } } }, 'test'),
    env: { ...local.env, DEDUP_TABLE_NAME: 'claims' },
    telemetry: silentTelemetry,
  });

/** ECS calls the endpoint received from Harbormaster, per wall-clock second. */
const callsPerSecondAtEndpoint = (): number[] => {
  const seconds = local.calls
    .list('ecs', undefined, 'harbormaster/')
    .map((c) => Math.floor(c.receivedAtMs / 1000));
  const first = Math.min(...seconds);
  const counts = Array<number>(Math.max(...seconds) - first + 1).fill(0);
  for (const second of seconds) counts[second - first] = (counts[second - first] ?? 0) + 1;
  return counts;
};

describe('ECS call budget', () => {
  it('keeps a burst from three execution environments at once under the configured calls per second at the endpoint, and every call gets through', async () => {
    // Prepare: 3 environments x 8 concurrent DescribeServices = 24 calls, a budget of 10 a second.
    const clients = ['deployment-guard', 'service-alerts', 'policy-enforcer'].map((name) =>
      ecsClient(environment(name, 10)),
    );
    // Act
    const answers = await Promise.all(
      clients.flatMap((client) =>
        // Different services: identical reads waiting together would share one call.
        Array.from({ length: 8 }, (_, i) =>
          client.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', `s${i}`] })),
        ),
      ),
    );
    // Assess
    expect(answers.every((a) => a.services?.[0]?.serviceName === 'web')).toBe(true);
    const perSecond = callsPerSecondAtEndpoint();
    expect(perSecond.reduce((a, b) => a + b, 0)).toBe(24);
    expect(perSecond.length).toBeGreaterThanOrEqual(3);
    // Tokens are counted in the second they are granted; a loaded machine may deliver a call a
    // little later, into the next second, so the bound is checked over two seconds at a time.
    const pairs = perSecond.slice(1).map((n, i) => n + (perSecond[i] ?? 0));
    expect(Math.max(...pairs)).toBeLessThanOrEqual(20);
    // Tokens are taken in batches: fewer budget writes than calls.
    const budgetWrites = local.calls
      .list('dynamodb', 'UpdateItem')
      .filter((c) => JSON.stringify(c.input).includes('ecs-budget#'));
    expect(budgetWrites.length).toBeLessThan(24);
    for (const client of clients) client.destroy();
  }, 20_000);

  it('fails a call retryably when the budget stays spent for longer than it may wait', async () => {
    // Prepare: the second's only token is taken by another environment.
    const runtime = createRuntime({
      functionName: 'deployment-guard',
      config: parseConfig({ aws: { ecsBudget: { callsPerSecond: 1, maxWaitMs: 0 } } }, 'test'),
      env: { ...local.env, DEDUP_TABLE_NAME: 'claims' },
      telemetry: silentTelemetry,
    });
    const client = ecsClient(runtime);
    const describe = (other: string) =>
      client.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', other] }));
    // Act
    const outcomes = await Promise.allSettled([describe('a'), describe('b'), describe('c')]);
    // Assess: one call per second (two if the calls straddle a second), the others refused.
    const made = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(made).toBeLessThanOrEqual(2);
    expect((refused as PromiseRejectedResult).reason).toMatchObject({
      name: 'EcsBudgetExhaustedError',
      retryable: true,
    });
    expect(local.calls.count('ecs', 'DescribeServices')).toBe(made);
    client.destroy();
  });
});

describe('ECS call budget: identical reads', () => {
  it('lets identical reads waiting for a token share one call, each answered', async () => {
    // Prepare: one call a second; the second's token is taken first.
    const client = ecsClient(environment('deployment-guard', 1));
    const describe = () =>
      client.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    await describe();
    // Act: five identical reads wait for the next second together.
    const answers = await Promise.all(Array.from({ length: 5 }, describe));
    // Assess
    expect(answers.map((a) => a.services?.[0]?.serviceName)).toStrictEqual(Array(5).fill('web'));
    expect(local.calls.count('ecs', 'DescribeServices')).toBe(2);
    client.destroy();
  });
});

describe('ECS call budget store and its failure', () => {
  it('takes what is left of a second when a batch does not fit, then nothing, in the claims table', async () => {
    // Prepare
    const store = createDynamoDbBudgetStore(
      new DynamoDBClient({
        endpoint: local.url,
        region: local.region,
        credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
      }),
      'claims',
    );
    // Act
    const taken = [
      await store.take('calls', 100, 3, 5),
      await store.take('calls', 100, 5, 5),
      await store.take('calls', 100, 1, 5),
      await store.take('calls', 101, 5, 5),
      await store.take('changes', 100, 1, 5),
    ];
    // Assess
    expect(taken).toStrictEqual([3, 2, 0, 5, 1]);
  });

  it('counts the second in the environment alone while its store fails', async () => {
    // Prepare: a clock that moves only when a caller sleeps.
    let now = 5_000;
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    const failing = {
      take: async (): Promise<number> => {
        throw new Error('ProvisionedThroughputExceededException');
      },
    };
    const errors: unknown[] = [];
    const budget = createEcsCallBudget(
      { callsPerSecond: 2, changesPerSecond: 2, maxWaitMs: 10_000 },
      failing,
      { clock, onStoreError: (error) => errors.push(error) },
    );
    // Act
    const seconds: number[] = [];
    for (let i = 0; i < 5; i++) {
      await budget.take('DescribeServices');
      seconds.push(Math.floor(now / 1000));
    }
    // Assess: two calls a second, as configured.
    expect(seconds).toStrictEqual([5, 5, 6, 6, 7]);
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });
});

describe('ECS call budget, the deployment guard under a burst', () => {
  it('rolls a failing 30-task service back once, at the configured count, with every function together at 3 ECS calls a second (at most 6 in any two seconds at the endpoint)', async () => {
    // Prepare
    const g = await startGuardStack({
      desiredCount: 30,
      config: { aws: { ecsBudget: { callsPerSecond: 3 } } },
    });
    // Act
    g.deploy({ kind: 'crash', afterMs: 5_000, exitCode: 3 });
    await g.elapse(10);
    // Assess
    const seconds = g.local.calls
      .list('ecs', undefined, 'harbormaster/')
      .map((c) => Math.floor(c.receivedAtMs / 1000));
    const inTwoSeconds = seconds.map(
      (s) => seconds.filter((other) => other === s || other === s + 1).length,
    );
    expect(Math.max(...inTwoSeconds)).toBeLessThanOrEqual(6);
    expect(g.guardUpdates().filter((c) => c.status === 200)).toHaveLength(1);
    const rolledBack = g.deploymentAlerts().find((a) => a.subject.includes('rolled back'));
    expect(rolledBack?.email).toMatch(/After 3 failed tasks/);
    await g.stack.close();
  }, 60_000);
});
