import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { type LocalAws, startLocalAws } from '@harbormaster/local-aws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStackTable } from '#apps/local/lambda/serverless-functions.ts';
import { createEcsAdapter } from '#aws/ecs/adapter.ts';
import { createAlarmReader } from '#guard/alarm-reader.ts';
import { MemoryGuardStore } from '#guard/memory-store.ts';
import type { GuardStore } from '#guard/ports.ts';
import type { DeploymentWatch, RollbackRecord } from '#guard/records.ts';
import { createGuardStore } from '#guard/store.ts';
import { createService, registerRevision } from '#support/local-services.ts';

let local: LocalAws;
beforeEach(async () => {
  local = await startLocalAws({ now: new Date('2026-11-21T09:00:00Z') });
});
afterEach(async () => local.close());

const clientConfig = () => ({
  endpoint: local.url,
  region: local.region,
  credentials: { accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'x' },
});

const STORES: [string, () => GuardStore][] = [
  [
    'DynamoDB (the table of infra/resources/deployment-guard.yml)',
    () => {
      local.dynamodb.createTableFrom({
        ...readStackTable('infra/resources/deployment-guard.yml', 'GuardTable'),
        TableName: 'guard',
      });
      return createGuardStore(new DynamoDBClient(clientConfig()), 'guard');
    },
  ],
  ['memory (offline replays)', () => new MemoryGuardStore()],
];

const watch = (overrides: Partial<DeploymentWatch> = {}): DeploymentWatch => ({
  cluster: 'prod',
  service: 'web',
  deploymentId: 'ecs-svc/1',
  origin: 'deployment',
  taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
  previousTaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
  rollbackOf: undefined,
  startedAt: '2026-11-21T09:00:00.000Z',
  deadlineAt: '2026-11-21T09:30:00.000Z',
  completedAt: undefined,
  bakeUntil: undefined,
  alarms: ['web-5xx', 'web latency'],
  ...overrides,
});

const record: RollbackRecord = {
  cluster: 'prod',
  service: 'web',
  fromDeploymentId: 'ecs-svc/1',
  fromTaskDefinition: 'web:2',
  toTaskDefinition: 'web:1',
  trigger: 'failed-tasks',
  at: '2026-11-21T09:05:00.000Z',
  rollbackDeploymentId: undefined,
};

describe.each(STORES)('GuardStore over %s', (_name, create) => {
  it('starts a watch once, replaces it only for another origin, and finds it by service, alarm and due time', async () => {
    // Prepare
    const store = create();
    // Act
    const first = await store.startWatch(watch(), new Date('2026-11-21T09:30:00Z'));
    const again = await store.startWatch(
      watch({ alarms: ['web-5xx'] }),
      new Date('2026-11-21T09:31:00Z'),
    );
    const rollback = await store.startWatch(
      watch({ origin: 'ecs-rollback', alarms: [] }),
      new Date('2026-11-21T09:40:00Z'),
    );
    // Assess
    expect([first, again, rollback]).toStrictEqual([true, false, true]);
    expect((await store.history('prod', 'web')).watches).toStrictEqual([
      watch({ origin: 'ecs-rollback', alarms: [] }),
    ]);
    expect(await store.watchesForAlarm('web latency')).toStrictEqual([
      { cluster: 'prod', service: 'web', deploymentId: 'ecs-svc/1' },
    ]);
    expect(await store.dueWatches(new Date('2026-11-21T09:39:59Z'))).toStrictEqual([]);
    expect(await store.dueWatches(new Date('2026-11-21T09:40:00Z'))).toHaveLength(1);
  });

  it('moves a watch\u2019s due time and ends it with its alarm index entries', async () => {
    // Prepare
    const store = create();
    await store.startWatch(watch(), new Date('2026-11-21T09:30:00Z'));
    await store.startWatch(watch({ service: 'api', alarms: [] }), new Date('2026-11-21T09:10:00Z'));
    // Act
    await store.updateWatch(
      watch({ bakeUntil: '2026-11-21T09:50:00.000Z' }),
      new Date('2026-11-21T09:50:00Z'),
    );
    const dueAt30 = await store.dueWatches(new Date('2026-11-21T09:30:00Z'));
    await store.endWatch(watch());
    // Assess
    expect(dueAt30.map((r) => r.service)).toStrictEqual(['api']);
    expect((await store.history('prod', 'web')).watches).toStrictEqual([]);
    expect(await store.watchesForAlarm('web-5xx')).toStrictEqual([]);
    expect((await store.history('prod', 'api')).watches).toHaveLength(1);
  });

  it('records a rollback once, keeps the deployment it started through a repeat, and forgets a refused one', async () => {
    // Prepare
    const store = create();
    // Act
    await store.recordRollback(record);
    await store.recordRollbackDeployment(record, 'ecs-svc/2');
    await store.recordRollback({ ...record, at: '2026-11-21T09:31:00.000Z' });
    const kept = (await store.history('prod', 'web')).rollbacks;
    await store.forgetRollback(record);
    // Assess
    expect(kept).toStrictEqual([{ ...record, rollbackDeploymentId: 'ecs-svc/2' }]);
    expect((await store.history('prod', 'web')).rollbacks).toStrictEqual([]);
  });
});

describe('Adapters for the deployment guard over the real SDK and the embedded endpoint', () => {
  it('reads alarm states with DescribeAlarms, leaving out alarms that do not exist', async () => {
    // Prepare
    local.cloudwatch.putAlarm('web-5xx', { state: 'ALARM' });
    local.cloudwatch.putAlarm('web-latency', { state: 'OK' });
    const alarms = createAlarmReader(new CloudWatchClient(clientConfig()));
    // Act
    const states = await alarms.alarmStates(['web-5xx', 'web-latency', 'missing']);
    // Assess
    expect(states).toStrictEqual({ 'web-5xx': 'ALARM', 'web-latency': 'OK' });
  });

  it('points a service at a task definition, starting a deployment only when it changes', async () => {
    // Prepare
    const ecs = createEcsAdapter(new ECSClient(clientConfig()));
    const { taskDefinition: v1 } = createService(local, { desiredCount: 1 });
    await local.clock.advance(120_000);
    const v2 = registerRevision(local, 'web', 'public.ecr.aws/nginx/nginx:1.28');
    // Act
    const changed = await ecs.updateServiceTaskDefinition('prod', 'web', v2);
    const repeated = await ecs.updateServiceTaskDefinition('prod', 'web', v2);
    // Assess
    expect(changed).toMatchObject({
      taskDefinition: v2,
      deploymentId: expect.stringMatching(/^ecs-svc\/\d+$/),
    });
    expect(repeated.deploymentId).toBe(changed.deploymentId);
    const service = await ecs.describeService('prod', 'web');
    expect(service?.deployments.map((d) => d.taskDefinition)).toStrictEqual([v2, v1]);
  });

  it('stops listing task ARNs at the limit asked for', async () => {
    // Prepare
    const ecs = createEcsAdapter(new ECSClient(clientConfig()));
    createService(local, { desiredCount: 3 });
    await local.clock.advance(120_000);
    local.calls.clear();
    // Act
    const arns = await ecs.listTasks('prod', { serviceName: 'web' }, { limit: 2 });
    // Assess
    expect(arns).toHaveLength(2);
    expect(local.calls.count('ecs', 'ListTasks')).toBe(1);
  });
});
