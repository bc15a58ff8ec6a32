import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { JobRunStore } from './ports.ts';
import type { JobRun, LaunchRecord, RunFacts, TaskOutcome, Watermark } from './records.ts';

type Item = Record<string, AttributeValue>;

// Keys: a job's run headers and its watermark share the partition `job#<name>` (sort key
// `run#<runKey>`, which starts with the scheduled time, so recent runs are a range); a run's
// launches and task outcomes share the partition `run#<name>/<runKey>`.
const jobKey = (job: string) => `job#${job}`;
const runKey = (job: string, key: string) => `run#${job}/${key}`;
const headerSort = (key: string) => `run#${key}`;
const taskId = (taskArn: string) => taskArn.split('/').pop() ?? taskArn;

/** "20261121T090000" for the sort-key range of runs scheduled at or after a time. */
const compactTime = (at: Date): string => at.toISOString().replace(/[-:]/g, '').slice(0, 15);

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException;

const parseData = <T>(item: Item | undefined): T | undefined =>
  item?.data?.S === undefined ? undefined : (JSON.parse(item.data.S) as T);

const toRun = (item: Item): JobRun => {
  const run = parseData<JobRun>(item) as JobRun;
  return {
    ...run,
    status: (item.status?.S ?? run.status) as JobRun['status'],
    ...(item.finishedAt?.S ? { finishedAt: item.finishedAt.S } : {}),
    ...(item.reason?.S ? { reason: item.reason.S } : {}),
  };
};

/**
 * JobRunStore over a DynamoDB table (partition key `pk`, sort key `sk`, TTL attribute
 * `expiresAt`). Every write is conditional or idempotent, so a redelivered event or a retried
 * invocation never records a fact twice; reads are strongly consistent.
 */
const createJobRunStore = (
  client: DynamoDBClient,
  tableName: string,
  options: { namespace: string; retentionDays: number; now?: () => Date },
): JobRunStore => {
  const now = options.now ?? (() => new Date());
  const expiresAt = (): AttributeValue => ({
    N: String(Math.floor(now().getTime() / 1000) + options.retentionDays * 86_400),
  });

  const queryAll = async (
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
  ): Promise<Item[]> => {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          ConsistentRead: true,
          ...input,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((output.Items ?? []) as Item[]));
      start = output.LastEvaluatedKey as Item | undefined;
    } while (start);
    return items;
  };

  const putOnce = async (item: Item): Promise<boolean> => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...item, expiresAt: expiresAt() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  return {
    namespace: options.namespace,

    getRun: async (job, key) => {
      const output = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: jobKey(job) }, sk: { S: headerSort(key) } },
          ConsistentRead: true,
        }),
      );
      return output.Item ? toRun(output.Item as Item) : undefined;
    },

    runFacts: async (job, key): Promise<RunFacts> => {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: runKey(job, key) } },
      });
      const launches: LaunchRecord[] = [];
      const outcomes: TaskOutcome[] = [];
      for (const item of items) {
        const sort = item.sk?.S ?? '';
        if (sort.startsWith('launch#'))
          launches.push(parseData<LaunchRecord>(item) as LaunchRecord);
        if (sort.startsWith('task#')) outcomes.push(parseData<TaskOutcome>(item) as TaskOutcome);
      }
      return { launches, outcomes };
    },

    recentRuns: async (job, since) => {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': { S: jobKey(job) },
          ':from': { S: headerSort(compactTime(since)) },
          ':to': { S: headerSort('~') },
        },
      });
      return items.map(toRun);
    },

    watermark: async (job) => {
      const output = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: jobKey(job) }, sk: { S: 'watermark' } },
          ConsistentRead: true,
        }),
      );
      return parseData<Watermark>(output.Item as Item | undefined);
    },

    createRun: (run) => {
      const { status, finishedAt, reason, ...data } = run;
      return putOnce({
        pk: { S: jobKey(run.job) },
        sk: { S: headerSort(run.runKey) },
        data: { S: JSON.stringify(data) },
        status: { S: status },
        scheduledAt: { S: run.scheduledAt },
        ...(finishedAt ? { finishedAt: { S: finishedAt } } : {}),
        ...(reason ? { reason: { S: reason } } : {}),
      });
    },

    finishRun: async (job, key, result) => {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: jobKey(job) }, sk: { S: headerSort(key) } },
            UpdateExpression: `SET #status = :status, finishedAt = :finishedAt${result.reason ? ', reason = :reason' : ''}`,
            ConditionExpression: '#status = :running',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': { S: result.status },
              ':finishedAt': { S: result.finishedAt },
              ':running': { S: 'running' },
              ...(result.reason ? { ':reason': { S: result.reason } } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    recordLaunch: async (job, key, launch) => {
      await putOnce({
        pk: { S: runKey(job, key) },
        sk: { S: `launch#${launch.launchId}` },
        data: { S: JSON.stringify(launch) },
      });
    },

    recordOutcome: (job, key, outcome) =>
      putOnce({
        pk: { S: runKey(job, key) },
        sk: { S: `task#${taskId(outcome.taskArn)}` },
        data: { S: JSON.stringify(outcome) },
      }),

    acquireLaunchLease: async (job, key, owner, at, until) => {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: jobKey(job) }, sk: { S: headerSort(key) } },
            UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner)',
            ExpressionAttributeValues: {
              ':owner': { S: owner },
              ':until': { N: String(until.getTime()) },
              ':now': { N: String(at.getTime()) },
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    releaseLaunchLease: async (job, key, owner) => {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: jobKey(job) }, sk: { S: headerSort(key) } },
            UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :owner',
            ExpressionAttributeValues: { ':owner': { S: owner } },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    setWatermark: async (job, watermark) => {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: jobKey(job) },
              sk: { S: 'watermark' },
              data: { S: JSON.stringify(watermark) },
              watermarkAt: { S: watermark.at },
            },
            // Concurrent checks must never move the watermark back (that would re-alert missed runs).
            ConditionExpression: 'attribute_not_exists(watermarkAt) OR watermarkAt < :at',
            ExpressionAttributeValues: { ':at': { S: watermark.at } },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
};

export { compactTime, createJobRunStore };
