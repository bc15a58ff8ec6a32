import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Snooze, SnoozeStore, ThreadStore } from './ports.ts';
import type { ThreadKey, ThreadRecord } from './threads/record.ts';

/**
 * Threads and snoozes in the deployment guard's table (`pk`, `sk`, TTL `expiresAt`, sparse index
 * `due` on `dueBucket` + `dueAt`). A thread is `chat#<channel>` / `thread#<thread id>`, its record
 * JSON in `thread` and its `version` beside it for the conditions; while it has something to post
 * it sits in the index under its own bucket (the guard's sweep reads only its own). A snooze is
 * `snooze#<key>` / `snooze`, kept until it ends.
 */

const DUE_INDEX = 'due';
const CHAT_BUCKET = 'chat';
const THREAD_TTL_SECONDS = 30 * 24 * 60 * 60;

type Item = Record<string, AttributeValue>;

const threadKey = (key: ThreadKey): Item => ({
  pk: { S: `chat#${key.channel}` },
  sk: { S: `thread#${key.threadId}` },
});

const conditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException;

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const createChatStore = (
  client: DynamoDBClient,
  tableName: string,
  clock: () => Date,
): ThreadStore & SnoozeStore => ({
  get: async (key) => {
    const output = await client.send(
      new GetItemCommand({ TableName: tableName, Key: threadKey(key), ConsistentRead: true }),
    );
    const json = output.Item?.thread?.S;
    return json ? (JSON.parse(json) as ThreadRecord) : undefined;
  },

  save: async (record, expected) => {
    const version = (expected ?? -1) + 1;
    const stored: ThreadRecord = { ...record, version };
    const item: Item = {
      ...threadKey(record),
      thread: { S: JSON.stringify(stored) },
      version: { N: String(version) },
      expiresAt: { N: String(Math.floor(clock().getTime() / 1000) + THREAD_TTL_SECONDS) },
      ...(record.dueAt ? { dueBucket: { S: CHAT_BUCKET }, dueAt: { S: record.dueAt } } : {}),
    };
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': { N: String(expected) } },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  },

  due: async (now, limit) => {
    const output = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'dueBucket = :bucket AND dueAt <= :now',
        ExpressionAttributeValues: {
          ':bucket': { S: CHAT_BUCKET },
          ':now': { S: now.toISOString() },
        },
        Limit: limit,
      }),
    );
    return (output.Items ?? []).flatMap((item) => {
      const channel = item.pk?.S?.replace(/^chat#/, '');
      const threadId = item.sk?.S?.replace(/^thread#/, '');
      return channel && threadId ? [{ channel, threadId }] : [];
    });
  },

  active: async (key, now) => {
    const output = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `snooze#${key}` }, sk: { S: 'snooze' } },
        ConsistentRead: true,
      }),
    );
    const json = output.Item?.snooze?.S;
    const snooze = json ? (JSON.parse(json) as Snooze) : undefined;
    return snooze && Date.parse(snooze.until) > now.getTime() ? snooze : undefined;
  },

  extend: async (snooze, now) => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: `snooze#${snooze.key}` },
            sk: { S: 'snooze' },
            snooze: { S: JSON.stringify(snooze) },
            until: { S: snooze.until },
            expiresAt: { N: String(epochSeconds(snooze.until)) },
          },
          // Set where none is in force, or where the one in force ends earlier.
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :until OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: {
            ':until': { S: snooze.until },
            ':now': { S: now.toISOString() },
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  },
});

export { CHAT_BUCKET, createChatStore };
