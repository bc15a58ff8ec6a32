import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchJobs } from '#functions/batch-jobs/definition.ts';
import { buildFunctions } from '#infra/build/bundle.ts';
import { permissionsOf } from '#kernel/execute.ts';
import {
  packageStack,
  packageWithConfig,
  resourcesOfType,
  SCHEDULER_TRUST,
  TEST_SCOPE,
  type Template,
  trustOf,
} from '#support/packaged-stack.ts';

const CONFIG = `${TEST_SCOPE}
batchJobs:
  jobs:
    nightly-report:
      schedule: cron(30 2 * * ? *)
      timezone: Europe/Berlin
      cluster: batch
      taskDefinition: report
      count: 40
      launchType: FARGATE
      network: { subnets: [subnet-0a1b2c3d] }
      roles: { task: report-task, execution: arn:aws:iam::123456789012:role/report-execution }
      startWindowMinutes: 15
    hourly-sync:
      enabled: false
      schedule: rate(1 hour)
      cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/etl
      taskDefinition: sync:12
      launchType: EC2
`;

let template: Template;

beforeAll(async () => {
  await buildFunctions({ configFile: 'harbormaster.yml' });
  const file = join(mkdtempSync(join(tmpdir(), 'hm-batch-')), 'harbormaster.yml');
  writeFileSync(file, CONFIG);
  template = await packageStack({ configFile: file });
}, 120_000);

type Statement = {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};
const statements = (roleId: string): Statement[] =>
  (
    (template.Resources[roleId]?.Properties.Policies ?? []) as {
      PolicyDocument: { Statement: Statement[] };
    }[]
  ).flatMap((p) => p.PolicyDocument.Statement);
const statement = (roleId: string, sid: string) => statements(roleId).find((s) => s.Sid === sid);
const sub = (text: string) => ({ 'Fn::Sub': text });
const CLUSTERS = [
  sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:cluster/batch`),
  'arn:aws:ecs:eu-west-1:123456789012:cluster/etl',
];
const CLUSTER_TASKS = [
  sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/batch/*`),
  'arn:aws:ecs:eu-west-1:123456789012:task/etl/*',
];

describe('The packaged template for batch jobs', () => {
  it('deploys one EventBridge Scheduler schedule per job: expression, time zone, state, target, role, retries and DLQ', () => {
    // Act
    const schedules = Object.fromEntries(
      resourcesOfType(template, 'AWS::Scheduler::Schedule').map(([, r]) => [
        r.Properties.Name,
        r.Properties,
      ]),
    );
    // Assess
    expect(Object.keys(schedules).sort()).toStrictEqual([
      '_sweep',
      'hourly-sync',
      'nightly-report',
    ]);
    const target = {
      Arn: { 'Fn::GetAtt': ['BatchDashjobsLambdaFunction', 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['BatchSchedulerRole', 'Arn'] },
    };
    expect(schedules['nightly-report']).toStrictEqual({
      Name: 'nightly-report',
      GroupName: { Ref: 'BatchJobScheduleGroup' },
      Description: 'Harbormaster batch job nightly-report on batch',
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        ...target,
        RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 10 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } },
      },
    });
    expect(schedules['hourly-sync']).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'DISABLED',
    });
    // The backstop of the check's wake-ups (HARBORMASTER_BACKSTOP_MINUTES, 15 by default).
    expect(schedules._sweep).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: target,
    });
    expect(template.Resources.BatchJobScheduleGroup?.Properties).toStrictEqual({
      Name: 'harbormaster-ci',
    });
    // No Input: Scheduler sends its default payload, which the function parses.
    for (const schedule of Object.values(schedules))
      expect((schedule as { Target: object }).Target).not.toHaveProperty('Input');
  });

  it('lets EventBridge Scheduler only invoke batch-jobs and dead-letter to the queue, from this account', () => {
    // Act
    const trust = trustOf(template, 'BatchSchedulerRole');
    // Assess
    expect(trust).toStrictEqual(SCHEDULER_TRUST);
    expect(statements('BatchSchedulerRole').map((s) => [s.Action, s.Resource])).toStrictEqual([
      ['lambda:InvokeFunction', { 'Fn::GetAtt': ['BatchDashjobsLambdaFunction', 'Arn'] }],
      ['sqs:SendMessage', { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] }],
    ]);
  });

  describe('the batch-jobs role', () => {
    it('grants exactly what its load step and its actions use', () => {
      // Prepare
      const needed = new Set([...batchJobs.reads, ...permissionsOf(batchJobs.runners)]);
      const plumbing = new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'lambda:InvokeFunction',
      ]);
      // Act
      const granted = new Set(
        statements('BatchJobsRole')
          .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
          .filter((a) => !plumbing.has(a)),
      );
      // Assess
      expect([...granted].sort()).toStrictEqual([...needed].sort());
    });

    it('runs only the jobs\u2019 task definitions (a family: any revision) on the jobs\u2019 clusters', () => {
      // Assess
      expect(statement('BatchJobsRole', 'RunJobTasks')).toStrictEqual({
        Sid: 'RunJobTasks',
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        Resource: [
          sub(
            `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/report:*`,
          ),
          sub(
            `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/sync:12`,
          ),
        ],
        Condition: { ArnEquals: { 'ecs:cluster': CLUSTERS } },
      });
    });

    it('passes only the jobs\u2019 task and execution roles, and only to ECS tasks', () => {
      // Assess
      expect(statement('BatchJobsRole', 'PassJobTaskRoles')).toStrictEqual({
        Sid: 'PassJobTaskRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [
          sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/report-task`),
          'arn:aws:iam::123456789012:role/report-execution',
        ],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      });
    });

    it('stops, lists and describes tasks only in the jobs\u2019 clusters, and tags only at launch', () => {
      // Assess
      expect(statement('BatchJobsRole', 'StopJobTasks')).toMatchObject({
        Action: 'ecs:StopTask',
        Resource: CLUSTER_TASKS,
        Condition: { ArnEquals: { 'ecs:cluster': CLUSTERS } },
      });
      expect(statement('BatchJobsRole', 'ListJobTasks')).toMatchObject({
        Resource: '*',
        Condition: { ArnEquals: { 'ecs:cluster': CLUSTERS } },
      });
      expect(statement('BatchJobsRole', 'DescribeJobTasks')).toMatchObject({
        Resource: CLUSTER_TASKS,
      });
      expect(statement('BatchJobsRole', 'TagJobTasksAtLaunch')).toMatchObject({
        Action: 'ecs:TagResource',
        Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      });
      expect(statement('BatchJobsRole', 'RecordJobRuns')).toMatchObject({
        Resource: { 'Fn::GetAtt': ['JobRunsTable', 'Arn'] },
      });
    });
  });

  it('declares the job runs table with a sort key and TTL, and gives the function its name', () => {
    // Assess
    expect(template.Resources.JobRunsTable?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(template.Resources.BatchDashjobsLambdaFunction?.Properties).toMatchObject({
      Timeout: 900,
      Environment: {
        Variables: expect.objectContaining({ JOB_RUNS_TABLE_NAME: { Ref: 'JobRunsTable' } }),
      },
    });
  });

  it('alarms when EventBridge Scheduler cannot invoke the function or drops an invocation', () => {
    // Act
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    // Assess
    for (const metric of ['TargetErrorCount', 'InvocationDroppedCount']) {
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/Scheduler',
          MetricName: metric,
          Dimensions: [{ Name: 'ScheduleGroup', Value: { Ref: 'BatchJobScheduleGroup' } }],
          AlarmActions: [{ Ref: 'AlertTopic' }],
        }),
      );
    }
    expect(alarms).toContainEqual(
      expect.objectContaining({
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'harbormaster-ci-batch-jobs' }],
      }),
    );
  });
});

describe('serverless package with a bad batch job', () => {
  it.each([
    [
      'an invalid schedule expression',
      'schedule: cron(0 2 * * *)',
      'batchJobs.jobs.nightly.schedule: invalid schedule expression "cron(0 2 * * *)"',
    ],
    [
      'an unknown time zone',
      'timezone: Mars/Olympus_Mons',
      'batchJobs.jobs.nightly.timezone: unknown time zone "Mars/Olympus_Mons"',
    ],
    [
      'a task count below 1',
      'count: 0',
      'batchJobs.jobs.nightly.count: too small: expected >=1, received 0',
    ],
    [
      'a Fargate job without network configuration',
      'network: null',
      'batchJobs.jobs.nightly.network: required: Fargate tasks use the awsvpc network mode',
    ],
  ])(
    'fails and names the job and the field for %s',
    async (_label, line, expected) => {
      // Prepare
      const job = [
        'schedule: cron(0 2 * * ? *)',
        'cluster: batch',
        'taskDefinition: report',
        'launchType: FARGATE',
        'network: { subnets: [subnet-0a1b2c3d] }',
      ];
      const key = line.split(':')[0] as string;
      const lines = [
        ...job.filter((l) => !l.startsWith(`${key}:`)),
        ...(line.endsWith('null') ? [] : [line]),
      ];
      // Act
      const result = await packageWithConfig(
        `${TEST_SCOPE}batchJobs:\n  jobs:\n    nightly:\n${lines.map((l) => `      ${l}`).join('\n')}\n`,
      );
      // Assess
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(expected);
    },
    120_000,
  );
});
