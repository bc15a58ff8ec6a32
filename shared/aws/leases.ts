import type { KernelConfig } from '#kernel/config/aws.ts';
import type { LeaseStore } from '#kernel/lease/port.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { dynamoDbClient } from './dynamodb-client.ts';
import { createDynamoDbLeaseStore } from './dynamodb-lease-store.ts';

/**
 * The leases of every function (decision plans, side effects, alert deliveries) over the stack's
 * claims table (DEDUP_TABLE_NAME: partition key `pk`, TTL `expiresAt`).
 */
const wireLeaseStore = (runtime: Runtime<KernelConfig>): LeaseStore =>
  runtime.once('lease-store', () =>
    createDynamoDbLeaseStore(dynamoDbClient(runtime), requireEnv(runtime, 'DEDUP_TABLE_NAME')),
  );

export { wireLeaseStore };
