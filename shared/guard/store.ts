import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { GuardStore } from './ports.ts';
import type { DeploymentWatch, RollbackRecord, ServiceGuardHistory, WatchRef } from './records.ts';

/** The sparse index of watches by due time (infra/resources/deployment-guard.yml). */
const DUE_INDEX = 'due';
const DUE_BUCKET = 'due';
const DAY_SECONDS = 24 * 60 * 60;
// Watches outlive their deployment by far; rollbacks are kept to remember failed task definitions.
const WATCH_TTL_SECONDS = 30 * DAY_SECONDS;
const ROLLBACK_TTL_SECONDS = 90 * DAY_SECONDS;

type Item = Record<string, AttributeValue>;

const servicePk = (cluster: string, service: string): string => `service#${cluster}/${service}`;
const alarmPk = (alarmName: string): string => `alarm#${alarmName}`;
const watchSk = (deploymentId: string): string => `watch#${deploymentId}`;
const rollbackSk = (deploymentId: string): string => `rollback#${deploymentId}`;
const refSk = (ref: WatchRef): string => `${ref.cluster}/${ref.service}#${ref.deploymentId}`;
const epoch = (iso: string, plusSeconds: number): string =>
  String(Math.floor(Date.parse(iso) / 1000) + plusSeconds);

/** `cluster/service#deploymentId` (an alarm item's sort key) back into a reference. */
const parseRef = (value: string): WatchRef | undefined => {
  const match = /^([^/#]+)\/([^/#]+)#(.+)$/.exec(value);
  return match?.[1] && match[2] && match[3]
    ? { cluster: match[1], service: match[2], deploymentId: match[3] }
    : undefined;
};

const watchItem = (watch: DeploymentWatch, dueAt: Date): Item => ({
  pk: { S: servicePk(watch.cluster, watch.service) },
  sk: { S: watchSk(watch.deploymentId) },
  origin: { S: watch.origin },
  watch: { S: JSON.stringify(watch) },
  dueBucket: { S: DUE_BUCKET },
  dueAt: { S: dueAt.toISOString() },
  expiresAt: { N: epoch(watch.startedAt, WATCH_TTL_SECONDS) },
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

const conditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException;

/**
 * GuardStore over one DynamoDB table (`pk`, `sk`, TTL `expiresAt`, sparse index `due` on
 * `dueBucket` + `dueAt`). Items: `service#<cluster>/<service>` holds the service's watches
 * (`watch#<deployment>`) and rollbacks (`rollback#<deployment>`); `alarm#<name>` indexes the
 * deployments watching an alarm. Conditional writes make each create happen once.
 */
const createGuardStore = (client: DynamoDBClient, tableName: string): GuardStore => {
  const query = async (input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> => {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const output = await client.send(
        new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey }),
      );
      items.push(...(output.Items ?? []));
      ExclusiveStartKey = output.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const deleteKey = (pk: string, sk: string) =>
    client.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } } }),
    );

  return {
    history: async (cluster, service): Promise<ServiceGuardHistory> => {
      const items = await query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: servicePk(cluster, service) } },
      });
      const history: ServiceGuardHistory = { watches: [], rollbacks: [] };
      for (const item of items) {
        if (item.watch?.S) history.watches.push(watchFrom(item.watch.S));
        if (item.rollback?.S) {
          const record = JSON.parse(item.rollback.S) as RollbackRecord;
          history.rollbacks.push({
            ...record,
            rollbackDeploymentId: item.rollbackDeploymentId?.S ?? record.rollbackDeploymentId,
          });
        }
      }
      return history;
    },

    watchesForAlarm: async (alarmName) => {
      const items = await query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: alarmPk(alarmName) } },
      });
      return items.flatMap((item) => {
        const ref = parseRef(item.sk?.S ?? '');
        return ref ? [ref] : [];
      });
    },

    dueWatches: async (now) => {
      const items = await query({
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'dueBucket = :bucket AND dueAt <= :now',
        ExpressionAttributeValues: {
          ':bucket': { S: DUE_BUCKET },
          ':now': { S: now.toISOString() },
        },
      });
      return items.flatMap((item) => {
        const service = /^service#([^/]+)\/(.+)$/.exec(item.pk?.S ?? '');
        const deploymentId = item.sk?.S?.replace(/^watch#/, '');
        return service?.[1] && service[2] && deploymentId
          ? [{ cluster: service[1], service: service[2], deploymentId }]
          : [];
      });
    },

    startWatch: async (watch, dueAt) => {
      // Index entries first: if this invocation stops half-way, its retry finds the watch missing.
      for (const alarm of watch.alarms) {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: alarmPk(alarm) },
              sk: { S: refSk(watch) },
              expiresAt: { N: epoch(watch.startedAt, WATCH_TTL_SECONDS) },
            },
          }),
        );
      }
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: watchItem(watch, dueAt),
            // A rollback to an earlier deployment reuses its id: a different origin replaces it.
            ConditionExpression: 'attribute_not_exists(pk) OR origin <> :origin',
            ExpressionAttributeValues: { ':origin': { S: watch.origin } },
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },

    updateWatch: async (watch, dueAt) => {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: watchItem(watch, dueAt) }),
      );
    },

    endWatch: async (watch) => {
      for (const alarm of watch.alarms) await deleteKey(alarmPk(alarm), refSk(watch));
      await deleteKey(servicePk(watch.cluster, watch.service), watchSk(watch.deploymentId));
    },

    claimRollback: async (record) => {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: servicePk(record.cluster, record.service) },
              sk: { S: rollbackSk(record.fromDeploymentId) },
              rollback: { S: JSON.stringify(record) },
              expiresAt: { N: epoch(record.at, ROLLBACK_TTL_SECONDS) },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },

    releaseRollback: async (record) => {
      await deleteKey(
        servicePk(record.cluster, record.service),
        rollbackSk(record.fromDeploymentId),
      );
    },

    recordRollbackDeployment: async (record, deploymentId) => {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: {
            pk: { S: servicePk(record.cluster, record.service) },
            sk: { S: rollbackSk(record.fromDeploymentId) },
          },
          UpdateExpression: 'SET rollbackDeploymentId = :id',
          ExpressionAttributeValues: { ':id': { S: deploymentId } },
        }),
      );
    },
  };
};

export { createGuardStore, DUE_INDEX };
