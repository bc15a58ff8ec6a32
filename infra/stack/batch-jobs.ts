import { SWEEP_SCHEDULE } from '../../functions/batch-jobs/batch-event.ts';
import type { JobConfig } from '../../shared/config/batch-jobs.ts';
import type { Config } from '../../shared/config/schema.ts';
import { ConfigError, type FieldIssue } from '../../shared/core/errors.ts';
import { cronFor } from '../../shared/schedule/fire-times.ts';
import { parseScheduleExpression } from '../../shared/schedule/schedule-expression.ts';

type Resources = Record<string, unknown>;
type Statement = Record<string, unknown>;

/** The logical id of the batch-jobs function as serverless names it. */
const FUNCTION_ID = 'BatchDashjobsLambdaFunction';

const pascal = (name: string): string =>
  name.replace(/(^|[-_])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());

const sub = (text: string) => ({ 'Fn::Sub': text });

const clusterArn = (cluster: string) =>
  cluster.startsWith('arn:')
    ? cluster
    : sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:cluster/${cluster}`);

const clusterName = (cluster: string): string => cluster.split('/').pop() ?? cluster;

const clusterTasks = (cluster: string) =>
  cluster.startsWith('arn:')
    ? `${cluster.replace(':cluster/', ':task/')}/*`
    : sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/${cluster}/*`);

// A family means "its latest ACTIVE revision at each run", so every revision may be run.
const taskDefinitionArn = (taskDefinition: string) => {
  if (taskDefinition.startsWith('arn:')) return taskDefinition;
  const revision = taskDefinition.includes(':') ? taskDefinition : `${taskDefinition}:*`;
  return sub(
    `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/${revision}`,
  );
};

const roleArn = (role: string) =>
  role.startsWith('arn:')
    ? role
    : sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${role}`);

const unique = (values: unknown[]): unknown[] => {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** Checks what the configuration schema cannot: croner reads each cron, schedule names do not collide. */
const checkJobs = (jobs: Record<string, JobConfig>): void => {
  const issues: FieldIssue[] = [];
  const ids = new Map<string, string>();
  for (const [name, job] of Object.entries(jobs)) {
    const expression = parseScheduleExpression(job.schedule);
    if (expression.kind === 'cron') {
      try {
        cronFor(expression.fields, job.timezone);
      } catch (error) {
        issues.push({ path: `batchJobs.jobs.${name}.schedule`, message: (error as Error).message });
      }
    }
    const id = pascal(name);
    const other = ids.get(id);
    if (other)
      issues.push({
        path: `batchJobs.jobs.${name}`,
        message: `its resource names collide with job ${other}'s; rename one`,
      });
    ids.set(id, name);
  }
  if (issues.length > 0) throw new ConfigError('batch jobs', issues);
};

/** The batch-jobs function's role: its logs, alerts and run records, and RunTask/StopTask only for the jobs' clusters and task definitions. */
const functionRole = (jobs: JobConfig[]): Resources => {
  const clusters = unique(jobs.map((j) => clusterArn(j.cluster)));
  const onClusters = { ArnEquals: { 'ecs:cluster': clusters } };
  const roles = unique(
    jobs
      .flatMap((j) => [j.roles?.task, j.roles?.execution])
      .filter((r): r is string => !!r)
      .map(roleArn),
  );
  const statements: Statement[] = [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: sub(
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/\${self:service}-\${sls:stage}-batch-jobs:*`,
      ),
    },
    {
      Sid: 'RecordJobRuns',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: { 'Fn::GetAtt': ['JobRunsTable', 'Arn'] },
    },
    {
      Sid: 'PublishAlerts',
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: { Ref: 'AlertTopic' },
    },
    {
      Sid: 'EncryptAlerts',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': ['AlertKey', 'Arn'] },
    },
    {
      Sid: 'DeduplicateAlerts',
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Resource: { 'Fn::GetAtt': ['DedupTable', 'Arn'] },
    },
    {
      Sid: 'HandFailuresToDeadLetters',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: sub(
        `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${self:service}-\${sls:stage}-dead-letters`,
      ),
    },
  ];
  if (jobs.length > 0) {
    statements.push(
      // DescribeTaskDefinition has no resource-level permissions.
      {
        Sid: 'ReadJobTaskDefinitions',
        Effect: 'Allow',
        Action: 'ecs:DescribeTaskDefinition',
        Resource: '*',
      },
      {
        Sid: 'ListJobTasks',
        Effect: 'Allow',
        Action: 'ecs:ListTasks',
        Resource: '*',
        Condition: onClusters,
      },
      {
        Sid: 'DescribeJobTasks',
        Effect: 'Allow',
        Action: 'ecs:DescribeTasks',
        Resource: unique(jobs.map((j) => clusterTasks(j.cluster))),
        Condition: onClusters,
      },
      {
        Sid: 'RunJobTasks',
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        Resource: unique(jobs.map((j) => taskDefinitionArn(j.taskDefinition))),
        Condition: onClusters,
      },
      // Tags given to RunTask need TagResource, allowed only as part of RunTask.
      {
        Sid: 'TagJobTasksAtLaunch',
        Effect: 'Allow',
        Action: 'ecs:TagResource',
        Resource: unique(jobs.map((j) => clusterTasks(j.cluster))),
        Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      },
      {
        Sid: 'StopJobTasks',
        Effect: 'Allow',
        Action: 'ecs:StopTask',
        Resource: unique(jobs.map((j) => clusterTasks(j.cluster))),
        Condition: onClusters,
      },
    );
  }
  if (roles.length > 0) {
    statements.push({
      Sid: 'PassJobTaskRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: roles,
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
  }
  return {
    BatchJobsRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'batch-jobs',
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
          },
        ],
      },
    },
  };
};

/** The role EventBridge Scheduler assumes: invoke batch-jobs, and dead-letter what it could not deliver. */
const schedulerRole = (): Resources => ({
  BatchSchedulerRole: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'invoke-batch-jobs',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'InvokeBatchJobs',
                Effect: 'Allow',
                Action: 'lambda:InvokeFunction',
                Resource: { 'Fn::GetAtt': [FUNCTION_ID, 'Arn'] },
              },
              {
                Sid: 'DeadLetterFailedInvocations',
                Effect: 'Allow',
                Action: 'sqs:SendMessage',
                Resource: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
              },
            ],
          },
        },
      ],
    },
  },
});

const schedule = (
  name: string,
  properties: {
    expression: string;
    timezone: string;
    enabled: boolean;
    description: string;
    maxEventAgeSeconds: number;
    retries: number;
    deadLetter: boolean;
  },
) => ({
  Type: 'AWS::Scheduler::Schedule',
  Properties: {
    Name: name,
    GroupName: { Ref: 'BatchJobScheduleGroup' },
    Description: properties.description,
    ScheduleExpression: properties.expression,
    ScheduleExpressionTimezone: properties.timezone,
    // Runs start at their scheduled minute; the run key is that minute.
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: properties.enabled ? 'ENABLED' : 'DISABLED',
    // No Input: the default payload (source aws.scheduler, the schedule ARN, the scheduled time).
    Target: {
      Arn: { 'Fn::GetAtt': [FUNCTION_ID, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['BatchSchedulerRole', 'Arn'] },
      RetryPolicy: {
        MaximumEventAgeInSeconds: properties.maxEventAgeSeconds,
        MaximumRetryAttempts: properties.retries,
      },
      ...(properties.deadLetter
        ? { DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } }
        : {}),
    },
  },
});

/** One EventBridge Scheduler schedule per job, and the one-minute periodic check. */
const schedules = (jobs: Record<string, JobConfig>): Resources => ({
  BatchJobScheduleGroup: {
    Type: 'AWS::Scheduler::ScheduleGroup',
    Properties: { Name: `\${self:service}-\${sls:stage}` },
  },
  ...Object.fromEntries(
    Object.entries(jobs).map(([name, job]) => [
      `BatchJob${pascal(name)}Schedule`,
      schedule(name, {
        expression: job.schedule,
        timezone: job.timezone,
        enabled: job.enabled,
        description: `Harbormaster batch job ${name} on ${clusterName(job.cluster)}`,
        // An invocation later than the start window could no longer start the run.
        maxEventAgeSeconds: Math.max(60, job.startWindowMinutes * 60),
        retries: 10,
        deadLetter: true,
      }),
    ]),
  ),
  // A missed check is made up by the next one a minute later: no retries, nothing to dead-letter.
  BatchJobsCheckSchedule: schedule(SWEEP_SCHEDULE, {
    expression: 'rate(1 minute)',
    timezone: 'UTC',
    enabled: true,
    description: 'Harbormaster batch jobs: retries, deadlines, lost task events and missed runs',
    maxEventAgeSeconds: 60,
    retries: 0,
    deadLetter: false,
  }),
});

const schedulerAlarm = (metric: string, description: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: description,
    Namespace: 'AWS/Scheduler',
    MetricName: metric,
    Dimensions: [{ Name: 'ScheduleGroup', Value: { Ref: 'BatchJobScheduleGroup' } }],
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'AlertTopic' }],
  },
});

/**
 * The stack parts derived from the batch jobs configuration: the function's role, the schedules
 * (with their execution role and dead-letter queue) and alarms on schedules that could not invoke
 * the function. Without jobs only the role exists, granting nothing on ECS.
 */
const batchJobsResources = (config: Config): Resources => {
  const { jobs } = config.batchJobs;
  checkJobs(jobs);
  const list = Object.values(jobs);
  if (list.length === 0) return functionRole([]);
  return {
    ...functionRole(list),
    ...schedulerRole(),
    ...schedules(jobs),
    BatchSchedulesTargetErrorsAlarm: schedulerAlarm(
      'TargetErrorCount',
      'EventBridge Scheduler could not invoke Harbormaster batch-jobs for a scheduled run (it retries, then dead-letters).',
    ),
    BatchSchedulesDroppedAlarm: schedulerAlarm(
      'InvocationDroppedCount',
      'EventBridge Scheduler dropped a scheduled batch run invocation: a run may not have started. Check the dead-letter queue.',
    ),
  };
};

export { batchJobsResources };
