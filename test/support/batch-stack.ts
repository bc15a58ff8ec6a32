import {
  type DeliveryOptions,
  type LocalStack,
  startLocalStack,
} from '#apps/local/lambda/local-stack.ts';
import type { ConfigInput } from '#config/schema.ts';

/** The network of batch tasks in tests. */
const BATCH_NETWORK = { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] };

type JobInput = NonNullable<NonNullable<ConfigInput['batchJobs']>['jobs']>[string];

/** A Fargate batch job on cluster `batch` running family `report`, with overrides. */
const batchJob = (overrides: Partial<JobInput> = {}): JobInput => ({
  schedule: 'cron(0 10 * * ? *)',
  timezone: 'UTC',
  cluster: 'batch',
  taskDefinition: 'report',
  count: 3,
  launchType: 'FARGATE',
  network: BATCH_NETWORK,
  startWindowMinutes: 10,
  deadlineMinutes: 120,
  retries: { attempts: 2, backoffSeconds: 60 },
  ...overrides,
});

/**
 * Starts the local stack with batch jobs (Slack on, every severity) at `now`; with `slackApp`, the
 * Slack app posts too, to #data-jobs.
 */
const startBatchStack = (
  jobs: Record<string, JobInput>,
  options: {
    now?: Date;
    delivery?: DeliveryOptions;
    batch?: Omit<NonNullable<ConfigInput['batchJobs']>, 'jobs'>;
    slackApp?: boolean;
    timeouts?: Record<string, number>;
  } = {},
): Promise<LocalStack> =>
  startLocalStack({
    now: options.now ?? new Date('2026-11-21T09:50:00Z'),
    config: (local) => {
      if (options.slackApp) {
        const app = local.slack.installApp({ name: 'Harbormaster' });
        local.slack.createChannel({ name: 'data-jobs', members: [app] });
      }
      return {
        alerts: {
          slack: { webhookUrlParameter: '/harbormaster/slack-webhook', minimumSeverity: 'info' },
          ...(options.slackApp
            ? {
                slackApp: {
                  botTokenParameter: '/harbormaster/slack-bot-token',
                  channel: '#data-jobs',
                },
              }
            : {}),
        },
        batchJobs: { ...options.batch, jobs },
      };
    },
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });

/** Registers a Fargate task definition with an essential `app` and a non-essential `otel` sidecar. */
const registerBatchDefinition = (stack: LocalStack, family = 'report'): string =>
  stack.local.ecs.registerTaskDefinition({
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    taskRoleArn: `arn:aws:iam::${stack.local.accountId}:role/${family}-task`,
    executionRoleArn: `arn:aws:iam::${stack.local.accountId}:role/${family}-execution`,
    containerDefinitions: [
      {
        name: 'app',
        image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/${family}:1`,
        essential: true,
      },
      {
        name: 'otel',
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest',
        essential: false,
      },
    ],
  });

/** Advances simulated time and waits for every invocation it caused. */
const elapse = async (stack: LocalStack, minutes: number): Promise<void> => {
  await stack.local.clock.advance(minutes * 60_000);
  await stack.settle();
};

/** SNS subjects of the batch run alerts sent so far. */
const batchSubjects = (stack: LocalStack): string[] =>
  stack.local.sns
    .messages(stack.topicArn)
    .filter((m) => m.messageAttributes.kind?.StringValue === 'batch-run')
    .map((m) => m.subject ?? '');

/** The chat payloads (Amazon Q Developer format) of batch run alerts. */
const batchChats = (
  stack: LocalStack,
): { title: string; description: string; threadId: string }[] =>
  stack.local.sns
    .messages(stack.topicArn)
    .filter((m) => m.messageAttributes.kind?.StringValue === 'batch-run')
    .map((m) => {
      const chat = JSON.parse((JSON.parse(m.message) as { default: string }).default) as {
        content: { title: string; description: string };
        metadata: { threadId: string };
      };
      return { ...chat.content, threadId: chat.metadata.threadId };
    });

/** The email text of batch run alerts. */
const batchEmails = (stack: LocalStack): string[] =>
  stack.local.sns
    .messages(stack.topicArn)
    .filter((m) => m.messageAttributes.kind?.StringValue === 'batch-run')
    .map((m) => (JSON.parse(m.message) as { email: string }).email);

export {
  BATCH_NETWORK,
  batchChats,
  batchEmails,
  batchJob,
  batchSubjects,
  elapse,
  type JobInput,
  registerBatchDefinition,
  startBatchStack,
};
