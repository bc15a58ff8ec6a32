import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { dynamoDbClient } from '#aws/dynamodb-client.ts';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { createMetricReader } from './metric-reader.ts';
import type { DeliveryStore, MetricsPort } from './ports.ts';
import { createDeliveryStore } from './store.ts';

/** The hook function's memory, in the deployment guard's table. */
const wireDeliveryStore = (runtime: Runtime<KernelConfig>): DeliveryStore =>
  createDeliveryStore(dynamoDbClient(runtime), requireEnv(runtime, 'GUARD_TABLE_NAME'));

/** MetricsPort over CloudWatch GetMetricData. */
const wireMetrics = (runtime: Runtime<KernelConfig>): MetricsPort =>
  createMetricReader(
    runtime.once(
      'cloudwatch-client',
      () => new CloudWatchClient(clientConfig(runtime, 'CLOUDWATCH')),
    ),
  );

export { wireDeliveryStore, wireMetrics };
