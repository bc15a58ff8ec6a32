import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { dynamoDbClient } from '#aws/dynamodb-client.ts';
import { clientConfig } from '#kernel/aws-clients.ts';
import type { KernelConfig } from '#kernel/config/aws.ts';
import { type Runtime, requireEnv } from '#kernel/runtime.ts';
import { createAlarmReader } from './alarm-reader.ts';
import type { AlarmPort, GuardStore } from './ports.ts';
import { createGuardStore } from './store.ts';

/** GuardStore over the deployment guard's DynamoDB table. */
const wireGuardStore = (runtime: Runtime<KernelConfig>): GuardStore =>
  createGuardStore(dynamoDbClient(runtime), requireEnv(runtime, 'GUARD_TABLE_NAME'));

/** AlarmPort over CloudWatch. */
const wireAlarms = (runtime: Runtime<KernelConfig>): AlarmPort =>
  createAlarmReader(
    runtime.once(
      'cloudwatch-client',
      () => new CloudWatchClient(clientConfig(runtime, 'CLOUDWATCH')),
    ),
  );

export { wireAlarms, wireGuardStore };
