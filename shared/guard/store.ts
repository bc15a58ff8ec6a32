import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { conditionalPut, conditionalUpdate } from '#aws/dynamodb-conditional.ts';
import type { GuardStore } from './ports.ts';
import type { DeploymentWatch, RollbackRecord, ServiceGuardHistory, WatchRef } from './records.ts';

/** The sparse index of watches by due time (infra/resources/deployment-guard.yml). */
const DUE_INDEX = 'due';
const DUE_BUCKET = 'due';
const DAY_SECONDS = 24 * 60 * 60;
// Watches outlive their deployment by far; rollbacks are kept to remember failed task definitions.
const WATCH_TTL_SECONDS = 30 * DAY_SECONDS;
const ROLLBACK_TTL_SECONDS = 90 * DAY_SECONDS;

/** An item of the guard's table, as plain values (util-dynamodb converts them). */
interface GuardItem {
  pk: string;
  sk: string;
  origin?: string;
  watch?: string;
  dueBucket?: string;
  dueAt?: string;
  rollback?: string;
  rollbackDeploymentId?: string;
  threshold?: number;
  taskArns?: Set<string>;
  expiresAt?: number;
}

const servicePk = (cluster: string, service: string): string => `service#${cluster}/${service}`;
const alarmPk = (alarmName: string): string => `alarm#${alarmName}`;
const watchSk = (deploymentId: string): string => `watch#${deploymentId}`;
const rollbackSk = (deploymentId: string): string => `rollback#${deploymentId}`;
const tallySk = (deploymentId: string): string => `tally#${deploymentId}`;
// A tally never needs more tasks than the largest threshold (ECS's breaker caps it at 200).
const TALLY_CAP = 200;
const refSk = (ref: WatchRef): string => `${ref.cluster}/${ref.service}#${ref.deploymentId}`;
const epoch = (iso: string, plusSeconds: number): number =>
  Math.floor(Date.parse(iso) / 1000) + plusSeconds;

/** `cluster/service#deploymentId` (an alarm item's sort key) back into a reference. */
const parseRef = (value: string): WatchRef | undefined => {
  const match = /^([^/#]+)\/([^/#]+)#(.+)$/.exec(value);
  return match?.[1] && match[2] && match[3]
    ? { cluster: match[1], service: match[2], deploymentId: match[3] }
    : undefined;
};

const watchItem = (watch: DeploymentWatch, dueAt: Date): GuardItem => ({
  pk: servicePk(watch.cluster, watch.service),
  sk: watchSk(watch.deploymentId),
  origin: watch.origin,
  watch: JSON.stringify(watch),
  dueBucket: DUE_BUCKET,
  dueAt: dueAt.toISOString(),
  expiresAt: epoch(watch.startedAt, WATCH_TTL_SECONDS),
});

// JSON leaves out undefined fields; the records are read back with every field present.
const watchFrom = (json: string): DeploymentWatch => {
  const w = JSON.parse(json) as DeploymentWatch;
  return {
    ...w,
    taskDefinition: w.taskDefinition,
    previousTaskDefinition: w.previousTaskDefinition,
    rollbackOf: w.rollbackOf,
    deadlineAt: w.deadlineAt,
    completedAt: w.completedAt,
    bakeUntil: w.bakeUntil,
  };
};

/**
 * GuardStore over one DynamoDB table (`pk`, `sk`, TTL `expiresAt`, sparse index `due` on
 * `dueBucket` + `dueAt`). Items: `service#<cluster>/<service>` holds the service's watches
 * (`watch#<deployment>`) and rollbacks (`rollback#<deployment>`); `alarm#<name>` indexes the
 * deployments watching an alarm. Conditional writes make each create happen once.
 */
const createGuardStore = (client: DynamoDBClient, tableName: string): GuardStore => {
  const query = async (
    input: Omit<QueryCommandInput, 'TableName' | 'ExpressionAttributeValues'>,
    values: Record<string, string>,
  ): Promise<GuardItem[]> => {
    const items: GuardItem[] = [];
    let ExclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          ...input,
          ExpressionAttributeValues: marshall(values),
          ExclusiveStartKey,
        }),
      );
      items.push(...(output.Items ?? []).map((item) => unmarshall(item) as GuardItem));
      ExclusiveStartKey = output.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const put = (item: GuardItem) =>
    client.send(new PutItemCommand({ TableName: tableName, Item: marshall(item) }));
  const deleteKey = (pk: string, sk: string) =>
    client.send(new DeleteItemCommand({ TableName: tableName, Key: marshall({ pk, sk }) }));

  return {
    history: async (cluster, service): Promise<ServiceGuardHistory> => {
      const items = await query(
        { KeyConditionExpression: 'pk = :pk' },
        { ':pk': servicePk(cluster, service) },
      );
      const history: ServiceGuardHistory = { watches: [], rollbacks: [], tallies: [] };
      for (const item of items) {
        if (item.sk.startsWith('tally#') && item.threshold !== undefined)
          history.tallies?.push({
            deploymentId: item.sk.slice('tally#'.length),
            threshold: item.threshold,
            taskArns: [...(item.taskArns ?? [])].sort(),
          });
        if (item.watch) history.watches.push(watchFrom(item.watch));
        if (item.rollback) {
          const record = JSON.parse(item.rollback) as RollbackRecord;
          history.rollbacks.push({
            ...record,
            rollbackDeploymentId: item.rollbackDeploymentId ?? record.rollbackDeploymentId,
          });
        }
      }
      return history;
    },

    watchesForAlarm: async (alarmName) => {
      const items = await query(
        { KeyConditionExpression: 'pk = :pk' },
        { ':pk': alarmPk(alarmName) },
      );
      return items.flatMap((item) => {
        const ref = parseRef(item.sk);
        return ref ? [ref] : [];
      });
    },

    dueWatches: async (now) => {
      const items = await query(
        { IndexName: DUE_INDEX, KeyConditionExpression: 'dueBucket = :bucket AND dueAt <= :now' },
        { ':bucket': DUE_BUCKET, ':now': now.toISOString() },
      );
      return items.flatMap((item) => {
        const service = /^service#([^/]+)\/(.+)$/.exec(item.pk);
        const deploymentId = item.sk.replace(/^watch#/, '');
        return service?.[1] && service[2] && deploymentId
          ? [{ cluster: service[1], service: service[2], deploymentId }]
          : [];
      });
    },

    startWatch: async (watch, dueAt) => {
      // Index entries first: if this invocation stops half-way, its retry finds the watch missing.
      for (const alarm of watch.alarms) {
        await put({
          pk: alarmPk(alarm),
          sk: refSk(watch),
          expiresAt: epoch(watch.startedAt, WATCH_TTL_SECONDS),
        });
      }
      const item = watchItem(watch, dueAt);
      const written = await conditionalPut(client, {
        TableName: tableName,
        Item: marshall(item),
        // A rollback to an earlier deployment reuses its id: a different origin replaces it.
        ConditionExpression: 'attribute_not_exists(pk) OR origin <> :origin',
        ExpressionAttributeValues: marshall({ ':origin': watch.origin }),
      });
      // A refusal that found this very watch is this call's own write, its answer lost.
      return written.applied || written.found?.watch === item.watch;
    },

    updateWatch: async (watch, dueAt) => {
      await put(watchItem(watch, dueAt));
    },

    endWatch: async (watch) => {
      for (const alarm of watch.alarms) await deleteKey(alarmPk(alarm), refSk(watch));
      await deleteKey(servicePk(watch.cluster, watch.service), watchSk(watch.deploymentId));
    },

    recordRollback: async (record) => {
      // Kept if there: a retry must not wipe the deployment id an earlier attempt added.
      await conditionalPut(client, {
        TableName: tableName,
        Item: marshall({
          pk: servicePk(record.cluster, record.service),
          sk: rollbackSk(record.fromDeploymentId),
          rollback: JSON.stringify(record),
          expiresAt: epoch(record.at, ROLLBACK_TTL_SECONDS),
        } satisfies GuardItem),
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },

    forgetRollback: async (record) => {
      await deleteKey(
        servicePk(record.cluster, record.service),
        rollbackSk(record.fromDeploymentId),
      );
    },

    tallyFailures: async (tally) => {
      if (tally.taskArns.length === 0) return;
      // Kept as long as a watch; a full tally takes no more tasks (its threshold was reached).
      await conditionalUpdate(client, {
        TableName: tableName,
        Key: marshall({
          pk: servicePk(tally.cluster, tally.service),
          sk: tallySk(tally.deploymentId),
        }),
        UpdateExpression:
          'ADD taskArns :tasks SET threshold = if_not_exists(threshold, :threshold), expiresAt = if_not_exists(expiresAt, :expires)',
        ConditionExpression: 'attribute_not_exists(taskArns) OR size(taskArns) < :cap',
        ExpressionAttributeValues: marshall({
          ':tasks': new Set(tally.taskArns),
          ':threshold': tally.threshold,
          ':expires': epoch(tally.at, WATCH_TTL_SECONDS),
          ':cap': TALLY_CAP,
        }),
      });
    },

    recordRollbackDeployment: async (record, deploymentId) => {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: marshall({
            pk: servicePk(record.cluster, record.service),
            sk: rollbackSk(record.fromDeploymentId),
          }),
          UpdateExpression: 'SET rollbackDeploymentId = :id',
          ExpressionAttributeValues: marshall({ ':id': deploymentId }),
        }),
      );
    },
  };
};

export { createGuardStore, DUE_INDEX };
