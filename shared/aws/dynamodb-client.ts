import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import type { Runtime } from '#kernel/runtime.ts';

/** The DynamoDB client every table adapter of a function shares, created once per runtime. */
const dynamoDbClient = (runtime: Runtime<KernelConfig>): DynamoDBClient =>
  runtime.once('dynamodb-client', () => new DynamoDBClient(clientConfig(runtime, 'DYNAMODB')));

export { dynamoDbClient };
