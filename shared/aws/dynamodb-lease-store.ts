import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  claimOver,
  expiryOf,
  freshLease,
  lapsed,
  type StoredLease,
} from '#kernel/lease/claim-rule.ts';
import type { LeaseHolder, LeaseRecord, LeaseStore } from '#kernel/lease/port.ts';
import { conditionalDelete, conditionalPut, conditionalUpdate } from './dynamodb-conditional.ts';

/**
 * The item of a lease (table key `pk`, TTL attribute `expiresAt`). `data` and `result` are JSON
 * strings: they hold whatever the caller stores (a plan of actions), whose shape DynamoDB need not
 * know, and a string keeps empty strings and undefined fields as JSON has them.
 */
interface LeaseItem {
  pk: string;
  leaseRequest: string;
  leaseAttempt: string;
  leaseState: LeaseRecord['state'];
  leaseUntil: number;
  expiresAt: number;
  data?: string;
  result?: string;
  tookOver?: boolean;
  acted?: boolean;
}

const toItem = (lease: StoredLease): LeaseItem => ({
  pk: lease.key,
  leaseRequest: lease.holder.requestId,
  leaseAttempt: lease.holder.attemptId,
  leaseState: lease.state,
  leaseUntil: lease.until,
  expiresAt: lease.expiresAt,
  ...(lease.data === undefined ? {} : { data: JSON.stringify(lease.data) }),
  ...(lease.result === undefined ? {} : { result: JSON.stringify(lease.result) }),
  ...(lease.tookOver ? { tookOver: true } : {}),
  ...(lease.acted ? { acted: true } : {}),
});

const fromItem = (raw: Record<string, unknown>): StoredLease => {
  const item = raw as unknown as LeaseItem;
  return {
    key: item.pk,
    holder: { requestId: item.leaseRequest, attemptId: item.leaseAttempt },
    state: item.leaseState,
    until: Number(item.leaseUntil),
    expiresAt: Number(item.expiresAt),
    ...(item.data === undefined ? {} : { data: JSON.parse(item.data) }),
    ...(item.result === undefined ? {} : { result: JSON.parse(item.result) }),
    ...(item.tookOver ? { tookOver: true } : {}),
    ...(item.acted ? { acted: true } : {}),
  };
};

/** The condition of a claim that takes over a record: it is still the one that was read. */
const STILL_AS_READ = 'leaseAttempt = :attempt AND leaseState = :state';
/** The condition of the holder's later writes: the lease is still this attempt's. */
const STILL_MINE = 'leaseAttempt = :attempt';

/**
 * LeaseStore over a DynamoDB table. A claim is one conditional PutItem when the key is free (no
 * item, or one past its keep time); otherwise the item the condition returned is judged by the
 * claim rule (kernel/lease/claim-rule.ts) and, for a takeover, replaced on condition that it is
 * still the one judged. Every write names this attempt, so a write the SDK sends again after a
 * lost response finds its own lease and goes on.
 */
const createDynamoDbLeaseStore = (client: DynamoDBClient, tableName: string): LeaseStore => {
  const mine = (holder: LeaseHolder) => ({ ':attempt': holder.attemptId });
  return {
    read: async (key, now) => {
      const output = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: marshall({ pk: key }),
          ConsistentRead: true,
        }),
      );
      const found = output.Item ? fromItem(unmarshall(output.Item)) : undefined;
      return lapsed(found, now) ? undefined : found;
    },

    claim: async (request) => {
      const fresh = freshLease(request);
      const first = await conditionalPut(client, {
        TableName: tableName,
        Item: marshall(toItem(fresh)),
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
        ExpressionAttributeValues: marshall({ ':now': Math.floor(request.now / 1000) }),
      });
      if (first.applied) return { outcome: 'claimed', record: fresh };
      const existing = fromItem(first.found ?? {});
      const { outcome, write } = claimOver(existing, request);
      if (!write) return outcome;
      const second = await conditionalPut(client, {
        TableName: tableName,
        Item: marshall(toItem(write)),
        ConditionExpression: STILL_AS_READ,
        ExpressionAttributeValues: marshall({
          ':attempt': existing.holder.attemptId,
          ':state': existing.state,
        }),
      });
      if (second.applied) return outcome;
      // Another claimer was quicker, or this attempt's takeover was applied and its answer lost.
      const found = fromItem(second.found ?? {});
      if (found.holder.attemptId === request.holder.attemptId)
        return { outcome: 'claimed', record: found };
      return found.state === 'done'
        ? { outcome: 'done', record: found }
        : { outcome: 'held', record: found };
    },

    markActing: async (key, holder, acting = true) =>
      (
        await conditionalUpdate(client, {
          TableName: tableName,
          Key: marshall({ pk: key }),
          UpdateExpression: acting
            ? 'SET leaseState = :state, acted = :true'
            : 'SET leaseState = :state REMOVE acted',
          ConditionExpression: `${STILL_MINE} AND leaseState <> :done`,
          ExpressionAttributeValues: marshall({
            ...mine(holder),
            ':state': acting ? 'acting' : 'held',
            ...(acting ? { ':true': true } : {}),
            ':done': 'done',
          }),
        })
      ).applied,

    renew: async (key, holder, until) =>
      (
        await conditionalUpdate(client, {
          TableName: tableName,
          Key: marshall({ pk: key }),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: `${STILL_MINE} AND leaseState <> :done`,
          ExpressionAttributeValues: marshall({
            ...mine(holder),
            ':until': until,
            ':done': 'done',
          }),
        })
      ).applied,

    release: async (key, holder) => {
      await conditionalDelete(client, {
        TableName: tableName,
        Key: marshall({ pk: key }),
        ConditionExpression: STILL_MINE,
        ExpressionAttributeValues: marshall(mine(holder)),
      });
    },

    complete: async (key, holder, result, now, keepSeconds) =>
      (
        await conditionalUpdate(client, {
          TableName: tableName,
          Key: marshall({ pk: key }),
          UpdateExpression: 'SET leaseState = :done, #result = :result, expiresAt = :expires',
          ConditionExpression: STILL_MINE,
          ExpressionAttributeNames: { '#result': 'result' },
          ExpressionAttributeValues: marshall({
            ...mine(holder),
            ':done': 'done',
            ':result': JSON.stringify(result ?? null),
            ':expires': expiryOf(now, now, keepSeconds),
          }),
        })
      ).applied,
  };
};

/** The attribute that marks a claim write, for the local host's chaos (apps/local/chaos). */
const LEASE_ATTEMPT_ATTRIBUTE = 'leaseAttempt';

export { createDynamoDbLeaseStore, LEASE_ATTEMPT_ATTRIBUTE };
