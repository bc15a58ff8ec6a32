import type { JobConfig } from '#batch/config.ts';

type Resources = Record<string, unknown>;
type Statement = Record<string, unknown>;

/** The logical id of the batch-jobs function as serverless names it. */
const FUNCTION_ID = 'BatchDashjobsLambdaFunction';

const sub = (text: string) => ({ 'Fn::Sub': text });

const clusterArn = (cluster: string) =>
  cluster.startsWith('arn:')
    ? cluster
    : sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:cluster/${cluster}`);

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
    // Wake-ups when a run's next check falls due (infra/resources/wakeups.yml).
    {
      Sid: 'WakeUpWhenDue',
      Effect: 'Allow',
      Action: 'scheduler:CreateSchedule',
      Resource: sub(
        `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/\${self:service}-\${sls:stage}-wakeups/batch-jobs-*`,
      ),
    },
    {
      Sid: 'PassWakeupRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': ['WakeupSchedulerRole', 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    },
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
      // Plans and leases; DeleteItem gives a run's launch lease back.
      Action: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
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

export { FUNCTION_ID, functionRole, schedulerRole };
