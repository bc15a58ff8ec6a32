import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSlackChannel } from '#alerts/channels/slack-channel.ts';
import { createSnsChannel } from '#alerts/channels/sns-channel.ts';
import { createDedupStore } from '#alerts/dedup-store.ts';
import { type EcsOperationGroup, ecsPortOf } from '#aws/ecs/operations.ts';
import { createRunTaskPacer } from '#aws/ecs/run-task-pacer.ts';
import { createJobRunStore } from '#batch/store.ts';
import { createDeadLetterQueue } from '#dead-letters/dead-letter-queue.ts';
import { createAlarmReader } from '#guard/alarm-reader.ts';
import { createGuardStore } from '#guard/store.ts';
import { ConfigError } from './errors.ts';
import type {
  AlarmPort,
  AlertChannel,
  DeadLetterQueue,
  DedupStore,
  EcsPort,
  GuardStore,
  JobRunStore,
} from './ports.ts';
import { type Runtime, requireEnv } from './runtime.ts';

/**
 * The one place that builds real AWS clients and adapters. Each factory is exported on its own so
 * a function's bundle contains only the clients it uses; each client is created once per runtime.
 */

const clientConfig = (runtime: Runtime, service: string) => {
  const { env, config } = runtime;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  return {
    region: env.AWS_REGION,
    // Names the function in CloudTrail's userAgent, so each call can be traced to its guardrail.
    customUserAgent: `harbormaster/${runtime.functionName}`,
    maxAttempts: config.aws.maxAttempts,
    retryMode: config.aws.retryMode,
    requestHandler: {
      connectionTimeout: config.aws.connectionTimeoutMs,
      requestTimeout: config.aws.requestTimeoutMs,
    },
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
};

/** The ECS client, created once per runtime. */
const ecsClient = (runtime: Runtime): ECSClient =>
  runtime.once('ecs-client', () => new ECSClient(clientConfig(runtime, 'ECS')));

/**
 * EcsPort over the real ECS API, with the operation groups the function uses (and its role
 * allows). RunTask goes through its own client without SDK retries: the adapter retries it (same
 * client token) through the pacer, which keeps calls under ECS's limits.
 */
const wireEcs = (runtime: Runtime, operations: readonly EcsOperationGroup[]): EcsPort =>
  ecsPortOf(ecsClient(runtime), operations, {
    pacer: () =>
      runtime.once('run-task-pacer', () =>
        createRunTaskPacer(runtime.config.batchJobs.runTaskPacing),
      ),
    // Built on first use: functions that never run tasks do not pay for it at cold start.
    runTaskClient: () =>
      runtime.once(
        'ecs-run-task-client',
        () => new ECSClient({ ...clientConfig(runtime, 'ECS'), maxAttempts: 1 }),
      ),
  });

const dynamoDbClient = (runtime: Runtime): DynamoDBClient =>
  runtime.once('dynamodb-client', () => new DynamoDBClient(clientConfig(runtime, 'DYNAMODB')));

/** DedupStore over the stack's DynamoDB table. */
const wireDedupStore = (runtime: Runtime): DedupStore =>
  createDedupStore(dynamoDbClient(runtime), requireEnv(runtime, 'DEDUP_TABLE_NAME'));

const STAGE = /^[A-Za-z0-9_-]{1,16}$/;

/** JobRunStore over the stack's job runs table, scoped to the deployment stage. */
const wireJobRunStore = (runtime: Runtime): JobRunStore => {
  const stage = requireEnv(runtime, 'HARBORMASTER_STAGE');
  if (!STAGE.test(stage)) {
    throw new ConfigError('the function environment', [
      {
        path: 'HARBORMASTER_STAGE',
        message:
          'expected 1-16 letters, digits, - or _ (it is part of RunTask startedBy, at most 128 characters)',
      },
    ]);
  }
  return createJobRunStore(dynamoDbClient(runtime), requireEnv(runtime, 'JOB_RUNS_TABLE_NAME'), {
    namespace: stage,
    retentionDays: runtime.config.batchJobs.retentionDays,
    now: runtime.now,
  });
};

/** GuardStore over the deployment guard's DynamoDB table. */
const wireGuardStore = (runtime: Runtime): GuardStore =>
  createGuardStore(dynamoDbClient(runtime), requireEnv(runtime, 'GUARD_TABLE_NAME'));

/** AlarmPort over CloudWatch. */
const wireAlarms = (runtime: Runtime): AlarmPort =>
  createAlarmReader(
    runtime.once(
      'cloudwatch-client',
      () => new CloudWatchClient(clientConfig(runtime, 'CLOUDWATCH')),
    ),
  );

/** DeadLetterQueue over the stack's SQS dead-letter queue. */
const wireDeadLetterQueue = (runtime: Runtime): DeadLetterQueue =>
  createDeadLetterQueue(
    runtime.once('sqs-client', () => new SQSClient(clientConfig(runtime, 'SQS'))),
    requireEnv(runtime, 'DEAD_LETTER_QUEUE_URL'),
  );

// A separate chunk in the bundle: functions without Slack configured never load the SSM client.
const readWebhookUrl = async (runtime: Runtime, parameterName: string): Promise<string> => {
  const { readParameter } = await import('#alerts/channels/ssm-parameter.ts');
  return readParameter(clientConfig(runtime, 'SSM'), parameterName);
};

/**
 * The configured alert channels. The Slack webhook URL is read here, at cold start, from SSM
 * Parameter Store (or Secrets Manager through /aws/reference/secretsmanager/), never from a
 * plaintext variable.
 */
const wireAlertChannels = async (runtime: Runtime): Promise<AlertChannel[]> => {
  const { alerts } = runtime.config;
  const channels: AlertChannel[] = [];
  if (alerts.sns.enabled) {
    const sns = runtime.once('sns-client', () => new SNSClient(clientConfig(runtime, 'SNS')));
    channels.push(
      createSnsChannel(sns, requireEnv(runtime, 'ALERT_TOPIC_ARN'), alerts.sns.minimumSeverity),
    );
  }
  if (alerts.slack) {
    const webhookUrl = await readWebhookUrl(runtime, alerts.slack.webhookUrlParameter);
    channels.push(createSlackChannel({ webhookUrl, ...alerts.slack }));
  }
  return channels;
};

export {
  ecsClient,
  wireAlarms,
  wireAlertChannels,
  wireDeadLetterQueue,
  wireDedupStore,
  wireEcs,
  wireGuardStore,
  wireJobRunStore,
};
