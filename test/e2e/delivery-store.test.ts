import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStackTable } from '#apps/local/lambda/serverless-functions.ts';
import { MemoryDeliveryStore } from '#delivery/memory-store.ts';
import type { DeliveryStore } from '#delivery/ports.ts';
import type { DeploymentProgress } from '#delivery/records.ts';
import { createDeliveryStore } from '#delivery/store.ts';

let local: LocalAws;
beforeEach(async () => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
});
afterEach(async () => local.close());

const STORES: [string, () => DeliveryStore][] = [
  [
    'DynamoDB (the guard table of infra/resources/deployment-guard.yml)',
    () => {
      local.dynamodb.createTableFrom({
        ...readStackTable('infra/resources/deployment-guard.yml', 'GuardTable'),
        TableName: 'guard',
      });
      return createDeliveryStore(
        new DynamoDBClient({
          endpoint: local.url,
          region: local.region,
          credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
        }),
        'guard',
      );
    },
  ],
  ['memory (offline replays)', () => new MemoryDeliveryStore()],
];

const progress = (deploymentId: string, at: string): DeploymentProgress => ({
  cluster: 'prod',
  service: 'web',
  deploymentArn: `arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/${deploymentId}`,
  passed: [{ key: 'share:0', share: 0, stage: 'POST_TEST_TRAFFIC_SHIFT', at }],
  verdicts: [
    {
      gate: 'analysis',
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      share: 0,
      outcome: 'passed',
      at,
      lines: ['error-rate: successful'],
    },
  ],
  runs: { 'share:5': { k: 'share:5', s: at, a: [] } },
  updatedAt: at,
});

describe.each(STORES)('Delivery store over %s', (_name, create) => {
  it('remembers each deployment\u2019s progress, the last write winning', async () => {
    // Prepare
    const store = create();
    // Act
    await store.saveProgress(progress('EZe5RNVLH6PPzHXINuP28', '2026-11-21T09:00:00.000Z'));
    await store.saveProgress(progress('EZe5RNVLH6PPzHXINuP28', '2026-11-21T09:05:00.000Z'));
    await store.saveProgress(progress('r9i43YFjvgF_xlg7m2eJ1r', '2026-11-21T09:01:00.000Z'));
    // Assess
    expect(await store.progress('prod', 'web', 'EZe5RNVLH6PPzHXINuP28')).toStrictEqual(
      progress('EZe5RNVLH6PPzHXINuP28', '2026-11-21T09:05:00.000Z'),
    );
    expect(await store.progress('prod', 'web', 'unknown')).toBeUndefined();
    expect(await store.progress('prod', 'api', 'EZe5RNVLH6PPzHXINuP28')).toBeUndefined();
  });
});
