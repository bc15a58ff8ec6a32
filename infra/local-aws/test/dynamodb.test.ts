import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../index.ts';
import { clientConfig, failure, START } from './harness.ts';

describe('DynamoDB', () => {
  let local: LocalAws;
  let ddb: DynamoDBClient;

  beforeEach(async () => {
    local = await startLocalAws({ now: START });
    ddb = new DynamoDBClient(clientConfig(local));
    local.dynamodb.createTable('dedup', { partitionKey: 'pk' });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'runs',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'job', KeyType: 'HASH' },
          { AttributeName: 'runAt', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'job', AttributeType: 'S' },
          { AttributeName: 'runAt', AttributeType: 'S' },
        ],
      }),
    );
  });

  afterEach(async () => {
    ddb.destroy();
    await local.close();
  });

  it('lets exactly one of two racing conditional puts win', async () => {
    // Prepare
    const claim = (owner: string) =>
      ddb.send(
        new PutItemCommand({
          TableName: 'dedup',
          Item: { pk: { S: 'event#1' }, owner: { S: owner }, expiresAt: { N: '1800000000' } },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: '1790000000' } },
        }),
      );

    // Act
    const results = await Promise.allSettled([claim('a'), claim('b')]);

    // Assess
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    expect((rejected[0] as PromiseRejectedResult).reason.message).toBe(
      'The conditional request failed',
    );
    expect(local.dynamodb.items('dedup')).toHaveLength(1);
  });

  it('applies SET, ADD and REMOVE with exact decimal arithmetic and ReturnValues', async () => {
    // Prepare
    await ddb.send(
      new PutItemCommand({
        TableName: 'dedup',
        Item: { pk: { S: 'k' }, amount: { N: '0.1' }, tags: { SS: ['a'] }, gone: { S: 'x' } },
      }),
    );

    // Act
    const out = await ddb.send(
      new UpdateItemCommand({
        TableName: 'dedup',
        Key: { pk: { S: 'k' } },
        UpdateExpression:
          'SET #s = :s, attempts = if_not_exists(attempts, :zero) + :one ADD amount :inc, tags :more REMOVE gone',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': { S: 'DONE' },
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':inc': { N: '0.2' },
          ':more': { SS: ['b'] },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );

    // Assess
    expect(out.Attributes).toEqual({
      pk: { S: 'k' },
      status: { S: 'DONE' },
      attempts: { N: '1' },
      amount: { N: '0.3' },
      tags: { SS: ['a', 'b'] },
    });
  });

  it('queries a partition with begins_with, order, Limit and LastEvaluatedKey', async () => {
    // Prepare
    for (const runAt of [
      '2026-11-01T00:00Z',
      '2026-11-02T00:00Z',
      '2026-11-03T00:00Z',
      '2026-12-01T00:00Z',
    ]) {
      await ddb.send(
        new PutItemCommand({
          TableName: 'runs',
          Item: { job: { S: 'nightly' }, runAt: { S: runAt } },
        }),
      );
    }
    await ddb.send(
      new PutItemCommand({
        TableName: 'runs',
        Item: { job: { S: 'other' }, runAt: { S: '2026-11-01T00:00Z' } },
      }),
    );

    // Act
    const query = (extra: Record<string, unknown>) =>
      ddb.send(
        new QueryCommand({
          TableName: 'runs',
          KeyConditionExpression: 'job = :j AND begins_with(runAt, :month)',
          ExpressionAttributeValues: { ':j': { S: 'nightly' }, ':month': { S: '2026-11' } },
          ...extra,
        }),
      );
    const page1 = await query({ Limit: 2, ScanIndexForward: false });
    const page2 = await query({
      Limit: 2,
      ScanIndexForward: false,
      ExclusiveStartKey: page1.LastEvaluatedKey,
    });

    // Assess
    expect(page1.Items?.map((i) => i.runAt?.S)).toEqual(['2026-11-03T00:00Z', '2026-11-02T00:00Z']);
    expect(page1.LastEvaluatedKey).toEqual({
      job: { S: 'nightly' },
      runAt: { S: '2026-11-02T00:00Z' },
    });
    expect(page2.Items?.map((i) => i.runAt?.S)).toEqual(['2026-11-01T00:00Z']);
    expect(page2.LastEvaluatedKey).toBeUndefined();
  });

  it('rejects expressions the way DynamoDB does', async () => {
    // Prepare
    const update = (input: Record<string, unknown>) =>
      failure(
        ddb.send(new UpdateItemCommand({ TableName: 'dedup', Key: { pk: { S: 'k' } }, ...input })),
      );
    const value = { ':a': { S: 'x' } };

    // Act
    const reserved = await update({
      UpdateExpression: 'SET status = :a',
      ExpressionAttributeValues: value,
    });
    const unused = await update({
      UpdateExpression: 'SET a = :a',
      ExpressionAttributeValues: { ...value, ':b': { S: 'y' } },
    });
    const undefinedValue = await update({
      UpdateExpression: 'SET a = :nope',
      ExpressionAttributeValues: value,
    });
    const keyUpdate = await update({
      UpdateExpression: 'SET pk = :a',
      ExpressionAttributeValues: value,
    });
    const badKey = await failure(
      ddb.send(new GetItemCommand({ TableName: 'dedup', Key: { id: { S: 'k' } } })),
    );
    const noTable = await failure(
      ddb.send(new GetItemCommand({ TableName: 'ghost', Key: { pk: { S: 'k' } } })),
    );

    // Assess
    expect(reserved.message).toBe(
      'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
    expect(unused.message).toBe(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}',
    );
    expect(undefinedValue.message).toMatch(
      /An expression attribute value used in expression is not defined; attribute value: :nope$/,
    );
    expect(keyUpdate.message).toBe(
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
    expect(badKey.name).toBe('ValidationException');
    expect(badKey.message).toBe('The provided key element does not match the schema');
    expect(noTable).toBeInstanceOf(ResourceNotFoundException);
  });
  it('meters requests, items read (every key asked for, every item a Query scanned) and items written, refused writes included', async () => {
    // Billing: a Query is charged for the items it reads before its filter ("Query ... consumes
    // the same read capacity whether or not there's a filter"), a refused conditional write still
    // consumes write capacity (Developer Guide, "Condition expressions").
    for (const runAt of ['1', '2', '3'])
      await ddb.send(
        new PutItemCommand({ TableName: 'runs', Item: { job: { S: 'a' }, runAt: { S: runAt } } }),
      );
    await ddb.send(
      new GetItemCommand({ TableName: 'runs', Key: { job: { S: 'a' }, runAt: { S: '9' } } }),
    );
    await ddb.send(
      new QueryCommand({
        TableName: 'runs',
        KeyConditionExpression: 'job = :j',
        FilterExpression: 'runAt = :r',
        ExpressionAttributeValues: { ':j': { S: 'a' }, ':r': { S: '2' } },
      }),
    );
    await ddb
      .send(
        new PutItemCommand({
          TableName: 'runs',
          Item: { job: { S: 'a' }, runAt: { S: '1' } },
          ConditionExpression: 'attribute_not_exists(job)',
        }),
      )
      .catch(() => undefined);
    expect(local.dynamodb.usage.of('runs')).toStrictEqual({
      requests: 6,
      itemsRead: 4,
      itemsWritten: 4,
    });
    expect(local.dynamodb.usage.of('dedup')).toStrictEqual({
      requests: 0,
      itemsRead: 0,
      itemsWritten: 0,
    });
  });

  it('cancels a transaction when any condition fails, writing nothing', async () => {
    // Prepare
    await ddb.send(new PutItemCommand({ TableName: 'dedup', Item: { pk: { S: 'taken' } } }));

    // Act
    const error = await ddb
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'dedup', Item: { pk: { S: 'new' } } } },
            {
              Put: {
                TableName: 'dedup',
                Item: { pk: { S: 'taken' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(
      ['None', 'ConditionalCheckFailed'],
    );
    expect(local.dynamodb.items('dedup')).toEqual([{ pk: { S: 'taken' } }]);
  });
});
