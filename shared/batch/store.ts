import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { conditionalPut, conditionalUpdate } from '#aws/dynamodb-conditional.ts';
import type { JobRunStore } from './ports.ts';
import type { JobRun, LaunchRecord, RunFacts, TaskOutcome, Watermark } from './records.ts';

/** An item of the job runs table, as plain values (util-dynamodb converts them). */
interface RunItem {
  pk: string;
  sk: string;
  data?: string;
  status?: string;
  scheduledAt?: string;
  finishedAt?: string;
  reason?: string;
  watermarkAt?: string;
  expiresAt?: number;
}

// Keys: a job's run headers and its watermark share the partition `job#<name>` (sort key
// `run#<runKey>`, which starts with the scheduled time, so recent runs are a range); a run's
// launches and task outcomes share the partition `run#<name>/<runKey>`.
const jobKey = (job: string) => `job#${job}`;
const runKey = (job: string, key: string) => `run#${job}/${key}`;
const headerSort = (key: string) => `run#${key}`;
const taskId = (taskArn: string) => taskArn.split('/').pop() ?? taskArn;

/** "20261121T090000" for the sort-key range of runs scheduled at or after a time. */
const compactTime = (at: Date): string => at.toISOString().replace(/[-:]/g, '').slice(0, 15);

const parseData = <T>(item: RunItem | undefined): T | undefined =>
  item?.data === undefined ? undefined : (JSON.parse(item.data) as T);

const toRun = (item: RunItem): JobRun => {
  const run = parseData<JobRun>(item) as JobRun;
  return {
    ...run,
    status: (item.status ?? run.status) as JobRun['status'],
    ...(item.finishedAt ? { finishedAt: item.finishedAt } : {}),
    ...(item.reason ? { reason: item.reason } : {}),
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
  const expiresAt = (): number =>
    Math.floor(now().getTime() / 1000) + options.retentionDays * 86_400;

  const queryAll = async (
    input: Omit<QueryCommandInput, 'TableName' | 'ExpressionAttributeValues'>,
    values: Record<string, string>,
  ): Promise<RunItem[]> => {
    const items: RunItem[] = [];
    let start: QueryCommandInput['ExclusiveStartKey'];
    do {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          ConsistentRead: true,
          ...input,
          ExpressionAttributeValues: marshall(values),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(output.Items ?? []).map((item) => unmarshall(item) as RunItem));
      start = output.LastEvaluatedKey;
    } while (start);
    return items;
  };

  const getItem = async (pk: string, sk: string): Promise<RunItem | undefined> => {
    const output = await client.send(
      new GetItemCommand({ TableName: tableName, Key: marshall({ pk, sk }), ConsistentRead: true }),
    );
    return output.Item ? (unmarshall(output.Item) as RunItem) : undefined;
  };

  // A refusal that found the very item this call writes is its own write, its answer lost.
  const putOnce = async (item: RunItem): Promise<boolean> => {
    const written = await conditionalPut(client, {
      TableName: tableName,
      Item: marshall({ ...item, expiresAt: expiresAt() }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return written.applied || written.found?.data === item.data;
  };

  return {
    namespace: options.namespace,

    getRun: async (job, key) => {
      const item = await getItem(jobKey(job), headerSort(key));
      return item ? toRun(item) : undefined;
    },

    runFacts: async (job, key): Promise<RunFacts> => {
      const items = await queryAll(
        { KeyConditionExpression: 'pk = :pk' },
        { ':pk': runKey(job, key) },
      );
      const launches: LaunchRecord[] = [];
      const outcomes: TaskOutcome[] = [];
      for (const item of items) {
        if (item.sk.startsWith('launch#'))
          launches.push(parseData<LaunchRecord>(item) as LaunchRecord);
        if (item.sk.startsWith('task#')) outcomes.push(parseData<TaskOutcome>(item) as TaskOutcome);
      }
      return { launches, outcomes };
    },

    recentRuns: async (job, since) => {
      const items = await queryAll(
        { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to' },
        {
          ':pk': jobKey(job),
          ':from': headerSort(compactTime(since)),
          ':to': headerSort('~'),
        },
      );
      return items.map(toRun);
    },

    watermark: async (job) => parseData<Watermark>(await getItem(jobKey(job), 'watermark')),

    createRun: (run) => {
      const { status, finishedAt, reason, ...data } = run;
      return putOnce({
        pk: jobKey(run.job),
        sk: headerSort(run.runKey),
        data: JSON.stringify(data),
        status,
        scheduledAt: run.scheduledAt,
        ...(finishedAt ? { finishedAt } : {}),
        ...(reason ? { reason } : {}),
      });
    },

    finishRun: async (job, key, result) => {
      const written = await conditionalUpdate(client, {
        TableName: tableName,
        Key: marshall({ pk: jobKey(job), sk: headerSort(key) }),
        UpdateExpression: `SET #status = :status, finishedAt = :finishedAt${result.reason ? ', reason = :reason' : ''}`,
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({
          ':status': result.status,
          ':finishedAt': result.finishedAt,
          ':running': 'running',
          ...(result.reason ? { ':reason': result.reason } : {}),
        }),
      });
      const found = written.applied ? undefined : (written.found as RunItem | undefined);
      return (
        written.applied ||
        (found?.status === result.status && found.finishedAt === result.finishedAt)
      );
    },

    recordLaunch: async (job, key, launch) => {
      await putOnce({
        pk: runKey(job, key),
        sk: `launch#${launch.launchId}`,
        data: JSON.stringify(launch),
      });
    },

    recordOutcome: (job, key, outcome) =>
      putOnce({
        pk: runKey(job, key),
        sk: `task#${taskId(outcome.taskArn)}`,
        data: JSON.stringify(outcome),
      }),

    setWatermark: async (job, watermark) => {
      // Concurrent checks must never move the watermark back (that would re-alert missed runs).
      await conditionalPut(client, {
        TableName: tableName,
        Item: marshall({
          pk: jobKey(job),
          sk: 'watermark',
          data: JSON.stringify(watermark),
          watermarkAt: watermark.at,
        } satisfies RunItem),
        ConditionExpression: 'attribute_not_exists(watermarkAt) OR watermarkAt < :at',
        ExpressionAttributeValues: marshall({ ':at': watermark.at }),
      });
    },
  };
};

export { compactTime, createJobRunStore };
