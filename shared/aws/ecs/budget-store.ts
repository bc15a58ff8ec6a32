import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { conditionalUpdate } from '../dynamodb-conditional.ts';
import type { BudgetWindowStore } from './call-budget.ts';

// A window's item outlives its second only long enough to be seen by a late writer.
const KEEP_SECONDS = 120;

/**
 * The ECS call budget's per-second counts in the claims table (key `pk`, TTL `expiresAt`): one item
 * per counter and second, `used` raised by one conditional UpdateItem per batch of tokens. When
 * the batch does not fit, the item the condition returned tells what is left, and a second write
 * takes that. No read, and no lost update: DynamoDB applies each ADD atomically.
 */
const createDynamoDbBudgetStore = (
  client: DynamoDBClient,
  tableName: string,
): BudgetWindowStore => {
  const add = (pk: string, second: number, n: number, limit: number) =>
    conditionalUpdate(client, {
      TableName: tableName,
      Key: marshall({ pk }),
      UpdateExpression: 'SET expiresAt = if_not_exists(expiresAt, :expires) ADD used :n',
      ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
      ExpressionAttributeValues: marshall({
        ':n': n,
        ':room': limit - n,
        ':expires': second + KEEP_SECONDS,
      }),
    });
  return {
    take: async (counter, second, want, limit) => {
      const pk = `ecs-budget#${counter}#${second}`;
      const n = Math.min(want, limit);
      if (n <= 0) return 0;
      const first = await add(pk, second, n, limit);
      if (first.applied) return n;
      const left = limit - Number(first.found?.used ?? limit);
      if (left <= 0) return 0;
      return (await add(pk, second, left, limit)).applied ? left : 0;
    },
  };
};

/** The same counts in memory, shared by the budgets given it (tests, one process). */
const createMemoryBudgetStore = (): BudgetWindowStore & { writes: number } => {
  const used = new Map<string, number>();
  const store = {
    writes: 0,
    take: async (counter: string, second: number, want: number, limit: number) => {
      store.writes += 1;
      const key = `${counter}#${second}`;
      const got = Math.max(0, Math.min(want, limit - (used.get(key) ?? 0)));
      used.set(key, (used.get(key) ?? 0) + got);
      return got;
    },
  };
  return store;
};

export { createDynamoDbBudgetStore, createMemoryBudgetStore };
