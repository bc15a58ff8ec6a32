import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, failure, START } from './harness.ts';

const HOUR = 3_600_000;

describe('DynamoDB reads, paging and TTL', () => {
  let local: LocalAws;
  let ddb: DynamoDBClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ddb = new DynamoDBClient(clientConfig(local));
    await ddb.send(
      new CreateTableCommand({
        TableName: 'runs',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'state', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byState',
            KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  });

  afterEach(async () => {
    ddb.destroy();
    await local.close();
  });

  const query = (extra: Record<string, unknown> = {}) =>
    ddb.send(
      new QueryCommand({
        TableName: 'runs',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'job' } },
        ...extra,
      }),
    );

  it('pages a Query at 1 MB of items read (API_Query: "a maximum of 1 MB of data")', async () => {
    // Prepare: 13 items of about 100 KB, 1.3 MB in one partition.
    const payload = 'x'.repeat(100_000);
    for (let i = 0; i < 13; i += 1)
      local.dynamodb.putItem('runs', {
        pk: { S: 'job' },
        sk: { S: `run-${String(i).padStart(2, '0')}` },
        payload: { S: payload },
      });
    // Act
    const first = await query();
    const second = await query({ ExclusiveStartKey: first.LastEvaluatedKey });
    const scanned = await ddb.send(new ScanCommand({ TableName: 'runs' }));
    // Assess: the 11th item reaches 1 MB (1,048,576 bytes) and ends the page.
    expect(first.Count).toBe(11);
    expect(first.LastEvaluatedKey).toStrictEqual({ pk: { S: 'job' }, sk: { S: 'run-10' } });
    expect(second.Items?.map((i) => i.sk?.S)).toStrictEqual(['run-11', 'run-12']);
    expect(second.LastEvaluatedKey).toBeUndefined();
    expect(scanned.Count).toBe(11);
    expect(scanned.LastEvaluatedKey).toBeDefined();
  });

  it('returns LastEvaluatedKey when Limit stops the query, even on the last item (API_Query, Limit)', async () => {
    // Prepare
    for (const sk of ['a', 'b'])
      local.dynamodb.putItem('runs', { pk: { S: 'job' }, sk: { S: sk } });
    // Act
    const limited = await query({ Limit: 2 });
    const after = await query({ Limit: 2, ExclusiveStartKey: limited.LastEvaluatedKey });
    const unlimited = await query({ Limit: 3 });
    // Assess
    expect(limited.Count).toBe(2);
    expect(limited.LastEvaluatedKey).toStrictEqual({ pk: { S: 'job' }, sk: { S: 'b' } });
    expect(after.Count).toBe(0);
    expect(after.LastEvaluatedKey).toBeUndefined();
    expect(unlimited.LastEvaluatedKey).toBeUndefined();
  });

  it('refuses ConsistentRead on a global secondary index (API_Query, ConsistentRead)', async () => {
    // Prepare
    local.dynamodb.putItem('runs', { pk: { S: 'job' }, sk: { S: 'a' }, state: { S: 'due' } });
    const byState = (consistent: boolean) =>
      ddb.send(
        new QueryCommand({
          TableName: 'runs',
          IndexName: 'byState',
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':s': { S: 'due' } },
          ConsistentRead: consistent,
        }),
      );
    // Act
    const error = await failure(byState(true));
    const scanError = await failure(
      ddb.send(new ScanCommand({ TableName: 'runs', IndexName: 'byState', ConsistentRead: true })),
    );
    const eventual = await byState(false);
    const onTable = await query({ ConsistentRead: true });
    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Consistent reads are not supported on global secondary indexes');
    expect(scanError.name).toBe('ValidationException');
    expect(eventual.Count).toBe(1);
    expect(onTable.Count).toBe(1);
  });

  it('enables TTL over an hour and deletes an expired item two days after it expires, returning it until then (API_UpdateTimeToLive)', async () => {
    // Prepare
    const nowSeconds = Math.floor(START.getTime() / 1000);
    local.dynamodb.putItem('runs', {
      pk: { S: 'job' },
      sk: { S: 'old' },
      expiresAt: { N: String(nowSeconds + 60) },
    });
    local.dynamodb.putItem('runs', {
      pk: { S: 'job' },
      sk: { S: 'text-ttl' },
      expiresAt: { S: String(nowSeconds) },
    });
    const get = (sk: string) =>
      ddb.send(new GetItemCommand({ TableName: 'runs', Key: { pk: { S: 'job' }, sk: { S: sk } } }));
    const status = async () =>
      (await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'runs' }))).TimeToLiveDescription;
    // Act
    const before = await status();
    const enabled = await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'runs',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const processing = await status();
    const again = await failure(
      ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: 'runs',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
        }),
      ),
    );
    await local.clock.advance(HOUR);
    const active = await status();
    await local.clock.advance(46 * HOUR);
    const expiredButThere = await get('old');
    await local.clock.advance(2 * HOUR);
    const gone = await get('old');
    // Assess
    expect(before).toStrictEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(enabled.TimeToLiveSpecification).toStrictEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    expect(processing).toStrictEqual({ TimeToLiveStatus: 'ENABLING', AttributeName: 'expiresAt' });
    expect(again.name).toBe('ValidationException');
    expect(active).toStrictEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(expiredButThere.Item?.sk?.S).toBe('old');
    expect(gone.Item).toBeUndefined();
    expect((await get('text-ttl')).Item?.sk?.S).toBe('text-ttl');
  });

  it('honours the TimeToLiveSpecification of a CloudFormation table definition at once', async () => {
    // Prepare
    local.dynamodb.createTableFrom({
      TableName: 'guard',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    local.dynamodb.putItem('guard', {
      pk: { S: 'watch' },
      expiresAt: { N: String(Math.floor(START.getTime() / 1000)) },
    });
    // Act
    const described = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'guard' }));
    await local.clock.advance(48 * HOUR);
    // Assess
    expect(described.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    expect(local.dynamodb.items('guard')).toStrictEqual([]);
  });
});
