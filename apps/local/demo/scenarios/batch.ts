import type { ConfigInput } from '#config/schema.ts';
import type { LocalStack } from '../../lambda/local-stack.ts';
import type { Scenario } from './scenario.ts';

type JobInput = NonNullable<NonNullable<ConfigInput['batchJobs']>['jobs']>[string];

/** The demo account's batch job, as its harbormaster.yml declares it (see demo-stack.ts). */
const DEMO_JOB: JobInput = {
  schedule: 'cron(0 12 * * ? *)',
  timezone: 'Europe/Berlin',
  cluster: 'batch',
  taskDefinition: 'nightly-report',
  count: 10,
  launchType: 'FARGATE',
  network: { subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'], securityGroups: ['sg-0a1b2c3d'] },
  concurrencyPolicy: 'Forbid',
  deadlineMinutes: 60,
  retries: { attempts: 2, backoffSeconds: 60 },
};

const FAILING_SHARD = 3;

const registerReport = (stack: LocalStack): void => {
  const account = stack.local.accountId;
  stack.local.ecs.createCluster('batch');
  stack.local.ecs.registerTaskDefinition({
    family: 'nightly-report',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '2048',
    taskRoleArn: `arn:aws:iam::${account}:role/nightly-report-task`,
    executionRoleArn: `arn:aws:iam::${account}:role/nightly-report-execution`,
    containerDefinitions: [
      {
        name: 'app',
        image: `${account}.dkr.ecr.us-east-1.amazonaws.com/nightly-report:2026.11.3`,
        essential: true,
        // The demo's policies stop standalone tasks that run as root.
        user: '1000',
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/nightly-report' },
        },
      },
    ],
  });
};

const finished = (stack: LocalStack): boolean =>
  stack.local.sns
    .messages(stack.topicArn)
    .some((m) => m.messageAttributes.kind?.StringValue === 'batch-run');

/** A scheduled batch run: one shard fails, is retried after its back-off, and one summary goes out. */
const batchRun: Scenario = {
  name: 'batch',
  title: 'A scheduled batch job with a failing shard, retried and summarised',
  explains: [
    'nightly-report runs 10 shards at 12:00 Europe/Berlin (an EventBridge Scheduler schedule).',
    `Shard ${FAILING_SHARD} exits 3 the first time; Harbormaster retries it after 60 s and sends one summary.`,
  ],
  run: async (stack) => {
    registerReport(stack);
    stack.local.ecs.setBehavior('nightly-report', (_task, launch) => ({
      kind: 'exit',
      afterMs: 4 * 60_000,
      exitCodes: { app: launch === FAILING_SHARD ? 3 : 0 },
    }));
    // Until the schedule fires and the run's summary is out (at most a day of simulated time).
    for (let minutes = 0; minutes < 24 * 60 && !finished(stack); minutes += 5) {
      await stack.local.clock.advance(5 * 60_000);
      await stack.settle();
    }
  },
};

export { batchRun, DEMO_JOB };
