import {
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  conditionalPut,
  conditionalTransaction,
  conditionalUpdate,
} from '#aws/dynamodb-conditional.ts';
import type { JobRunStore, OutcomeRecording, RunHeader } from './ports.ts';
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
  /** On a run header: its tasks launched and not yet given an outcome. */
  open?: number;
  countedAt?: string;
  checkAt?: string;
}

// Keys: a job's run headers and its watermark share the partition `job#<name>` (sort key
// `run#<runKey>`, which starts with the scheduled time, so recent runs are a range); a run's
// launches and task outcomes share the partition `run#<name>/<runKey>`.
const jobKey = (job: string) => `job#${job}`;
const runKey = (job: string, key: string) => `run#${job}/${key}`;
const headerSort = (key: string) => `run#${key}`;
const taskId = (taskArn: string) => taskArn.split('/').pop() ?? taskArn;

const toHeader = (item: RunItem): RunHeader => ({
  run: toRun(item),
  open: item.open,
  checkAt: item.checkAt,
});

const outcomeItem = (job: string, key: string, outcome: TaskOutcome): RunItem => ({
  pk: runKey(job, key),
  sk: `task#${taskId(outcome.taskArn)}`,
  data: JSON.stringify(outcome),
});

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

  const recentHeaders = async (job: string, since: Date) => {
    const items = await queryAll(
      { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to' },
      { ':pk': jobKey(job), ':from': headerSort(compactTime(since)), ':to': headerSort('~') },
    );
    return items.map(toHeader);
  };

  /**
   * Puts a launch or outcome item once, and adds `delta` to its run header's open-task count in
   * the same transaction: the count moves exactly when the fact is first recorded. `header`
   * adds conditions on the header (the run still running, other tasks still open).
   */
  const putCounted = async (
    item: RunItem,
    header: { job: string; key: string; delta: number; condition?: string },
  ): Promise<OutcomeRecording> => {
    const headerKey = marshall({ pk: jobKey(header.job), sk: headerSort(header.key) });
    const written = await conditionalTransaction(client, [
      {
        Put: {
          TableName: tableName,
          Item: marshall({ ...item, expiresAt: expiresAt() }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: headerKey,
          UpdateExpression: 'ADD #open :delta SET countedAt = :at',
          ConditionExpression: `attribute_exists(pk)${header.condition ? ` AND ${header.condition}` : ''}`,
          ExpressionAttributeNames: {
            '#open': 'open',
            ...(header.condition ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: marshall({
            ':delta': header.delta,
            ':at': now().toISOString(),
            ...(header.condition ? { ':running': 'running', ':two': 2 } : {}),
          }),
        },
      },
    ]);
    if (written.applied) return 'recorded';
    const [fact, run] = written.items;
    // A refusal that found the very item this call writes is its own write, its answer lost.
    if (fact?.failed) return fact.found?.data === item.data ? 'recorded' : 'already-recorded';
    if (run?.found === undefined) return (await putOnce(item)) ? 'recorded' : 'already-recorded';
    return 'last-open';
  };

  return {
    namespace: options.namespace,

    getRun: async (job, key) => {
      const item = await getItem(jobKey(job), headerSort(key));
      return item ? toRun(item) : undefined;
    },

    getRunHeader: async (job, key) => {
      const item = await getItem(jobKey(job), headerSort(key));
      return item ? toHeader(item) : undefined;
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

    recentRuns: async (job, since) => (await recentHeaders(job, since)).map((h) => h.run),

    recentRunHeaders: (job, since) => recentHeaders(job, since),

    scheduleCheck: async (job, key, at, current) => {
      await conditionalUpdate(client, {
        TableName: tableName,
        Key: marshall({ pk: jobKey(job), sk: headerSort(key) }),
        UpdateExpression: 'SET checkAt = :at',
        ConditionExpression:
          'attribute_exists(pk) AND #status = :running AND (attribute_not_exists(checkAt) OR checkAt > :at OR checkAt <= :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({
          ':at': at,
          ':now': current.toISOString(),
          ':running': 'running',
        }),
      });
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
        open: 0,
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
      const item = {
        pk: runKey(job, key),
        sk: `launch#${launch.launchId}`,
        data: JSON.stringify(launch),
      };
      if (launch.tasks.length === 0) await putOnce(item);
      else await putCounted(item, { job, key, delta: launch.tasks.length });
    },

    recordOutcome: async (job, key, outcome) =>
      (await putCounted(outcomeItem(job, key, outcome), { job, key, delta: -1 })) === 'recorded',

    recordOutcomeWhileOthersOpen: (job, key, outcome) =>
      putCounted(outcomeItem(job, key, outcome), {
        job,
        key,
        delta: -1,
        condition: '#status = :running AND #open >= :two',
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
