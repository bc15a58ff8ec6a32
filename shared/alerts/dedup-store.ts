import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DedupStore } from './ports.ts';

/**
 * DedupStore over a DynamoDB table (partition key `pk`, TTL attribute `expiresAt`). A claim is a
 * conditional put: it wins if no item exists or the one there has expired. TTL deletes expired
 * items only eventually, hence the explicit expiry check in the condition.
 */
const createDedupStore = (client: DynamoDBClient, tableName: string): DedupStore => ({
  claim: async (key, now, windowSeconds) => {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: key },
            expiresAt: { N: String(nowSeconds + windowSeconds) },
            claimedAt: { S: now.toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
  release: async (key) => {
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: key } } }));
  },
});

export { createDedupStore };
