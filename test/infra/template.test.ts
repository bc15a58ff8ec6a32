import { matchesPattern, validatePattern } from '@harbormaster/local-aws';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#functions/registry.ts';
import { DUE_INDEX } from '#guard/store.ts';
import { buildFunctions } from '#infra/build/bundle.ts';
import { functionNames } from '#infra/build/functions.ts';
import { permissionsOf } from '#kernel/execute.ts';
import { deliveryFixture } from '#support/delivery.ts';
import {
  apiCallEvent,
  fixture,
  fixtureNames,
  type Json,
  stoppedTask,
  withDetail,
} from '#support/events.ts';
import {
  type CfnResource,
  packageStack,
  packageWithConfig,
  resourcesOfType,
  SCHEDULER_TRUST,
  TEST_SCOPE,
  type Template,
  trustOf,
} from '#support/packaged-stack.ts';

let template: Template;

beforeAll(async () => {
  await buildFunctions({ configFile: 'harbormaster.yml' });
  template = await packageStack();
}, 120_000);

const logicalIdOf = (name: string): string =>
  `${name.replace(/-/g, 'Dash').replace(/^\w/, (c) => c.toUpperCase())}LambdaFunction`;

const functionResource = (name: string): CfnResource => {
  const resource = template.Resources[logicalIdOf(name)];
  if (!resource) throw new Error(`no Lambda function for ${name}`);
  return resource;
};

/** Each rule (pattern or schedule) and the function it targets. */
const allRules = (): {
  name: string;
  pattern: Json | undefined;
  schedule: string | undefined;
  target: string;
  targetProps: Json;
}[] =>
  resourcesOfType(template, 'AWS::Events::Rule').map(([name, rule]) => {
    const [target] = rule.Properties.Targets as Json[];
    const arn = (target as { Arn: { 'Fn::GetAtt': [string, string] } }).Arn['Fn::GetAtt'][0];
    const fn = Object.keys(FUNCTIONS).find((f) => logicalIdOf(f) === arn) ?? arn;
    return {
      name,
      pattern: rule.Properties.EventPattern as Json | undefined,
      schedule: rule.Properties.ScheduleExpression as string | undefined,
      target: fn,
      targetProps: target as Json,
    };
  });

/** Each pattern rule's event pattern and the function it targets. */
const rules = () =>
  allRules().flatMap((rule) => (rule.pattern ? [{ ...rule, pattern: rule.pattern }] : []));

const GUARD_SESSION =
  'arn:aws:sts::123456789012:assumed-role/harbormaster-ci-DeploymentGuardRole-X/harbormaster-ci-deployment-guard';

/** A CloudTrail event as made by `arn` (by default the guard's Lambda session in stage ci; null: none). */
const ownCall = (event: Json, arn: string | null = GUARD_SESSION): Json => {
  const detail = event.detail as Json;
  const identity = { ...(detail.userIdentity as Json) };
  if (arn === null) delete identity.arn;
  else identity.arn = arn;
  return { ...event, detail: { ...detail, userIdentity: identity } };
};

/** The functions whose rules match an event. */
const routedTo = (event: Json): string[] =>
  [
    ...new Set(
      rules()
        .filter((r) => matchesPattern(r.pattern, event))
        .map((r) => r.target),
    ),
  ].sort();

describe('The packaged CloudFormation template', () => {
  it('declares every function of functions/ on the nodejs24.x runtime with its own role', () => {
    // Assess
    expect(Object.keys(FUNCTIONS).sort()).toStrictEqual(functionNames());
    for (const name of functionNames()) {
      const props = functionResource(name).Properties;
      expect(props.Runtime, name).toBe('nodejs24.x');
      expect(props.Handler, name).toBe('index.handler');
      expect(props.Role, name).toStrictEqual({
        'Fn::GetAtt': [expect.stringMatching(/Role$/), 'Arn'],
      });
    }
  });

  describe('event rules', () => {
    it('are valid EventBridge patterns', () => {
      // Assess
      for (const rule of rules())
        expect(validatePattern(rule.pattern), rule.name).toStrictEqual([]);
    });

    // Which function each real event reaches; anything not listed must reach none.
    const ROUTES: Record<string, string[]> = {
      'service-action-task-start-impaired-docs': ['service-alerts'],
      'service-action-placement-failure-ec2-cpu-docs': ['service-alerts'],
      'service-action-placement-failure-fargate-spot-docs': ['service-alerts'],
      'deployment-in-progress-docs': ['deployment-guard'],
      'deployment-in-progress-rollback-docs': ['deployment-guard'],
      'deployment-in-progress-TRIMMED-autoptic': ['deployment-guard'],
      'deployment-completed-docs': ['deployment-guard'],
      'deployment-failed-circuit-breaker-docs': ['deployment-guard'],
      'cloudwatch-alarm-state-change-single-metric-docs': ['deployment-guard'],
      // The RUNNING samples are each task's third or fourth event (detail.version 3 or 4): the
      // policy enforcer checked the task at its first.
    };

    it.each(fixtureNames().filter((n) => !n.startsWith('cloudtrail-record')))(
      'route the real event %s exactly as intended',
      (name) => {
        // Assess
        expect(routedTo(fixture(name))).toStrictEqual(ROUTES[name] ?? []);
      },
    );

    it.each([
      [
        'an INFO service action',
        withDetail('service-action-task-start-impaired-docs', {
          eventType: 'INFO',
          eventName: 'SERVICE_STEADY_STATE',
        }),
        [],
      ],
      [
        'a deployment failure sent as a service action',
        withDetail('service-action-placement-failure-ec2-cpu-docs', {
          eventName: 'SERVICE_DEPLOYMENT_FAILED',
        }),
        [],
      ],
      [
        'a service event from another source',
        { ...fixture('service-action-task-start-impaired-docs'), source: 'custom.ecs' },
        [],
      ],
      [
        'CloudTrail RegisterTaskDefinition',
        apiCallEvent('RegisterTaskDefinition', { family: 'web', containerDefinitions: [] }),
        ['policy-enforcer'],
      ],
      [
        'CloudTrail UpdateService',
        apiCallEvent('UpdateService', { service: 'web' }),
        ['policy-enforcer'],
      ],
      [
        // Its tasks' first events are checked; the record adds nothing they lack.
        'CloudTrail RunTask without a public IP or a pinned platform version',
        apiCallEvent('RunTask', {
          taskDefinition: 'job',
          platformVersion: 'LATEST',
          networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'DISABLED' } },
        }),
        [],
      ],
      [
        'CloudTrail RunTask assigning a public IP',
        apiCallEvent('RunTask', {
          taskDefinition: 'job',
          networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } },
        }),
        ['policy-enforcer'],
      ],
      [
        'CloudTrail RunTask pinning a platform version',
        apiCallEvent('RunTask', { taskDefinition: 'job', platformVersion: '1.3.0' }),
        ['policy-enforcer'],
      ],
      [
        'a failed CloudTrail RunTask assigning a public IP',
        {
          ...apiCallEvent('RunTask', {
            networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } },
          }),
          detail: {
            ...(apiCallEvent('RunTask', {
              networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } },
            }).detail as Json),
            errorCode: 'AccessDeniedException',
          },
        },
        [],
      ],
      [
        'a CloudTrail call that failed',
        {
          ...apiCallEvent('CreateService', { serviceName: 'web' }),
          detail: {
            ...(apiCallEvent('CreateService', { serviceName: 'web' }).detail as Json),
            errorCode: 'InvalidParameterException',
          },
        },
        [],
      ],
      ['a CloudTrail call policies ignore', apiCallEvent('DeleteService', { service: 'web' }), []],
      [
        // Lambda names the session after the function: the guard's own rollback.
        "Harbormaster's own UpdateService",
        ownCall(apiCallEvent('UpdateService', { service: 'web', taskDefinition: 'web:1' })),
        [],
      ],
      [
        "a batch job's own RunTask assigning a public IP",
        ownCall(
          apiCallEvent('RunTask', {
            networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'ENABLED' } },
          }),
        ),
        [],
      ],
      [
        'UpdateService by a role whose name starts like the stack (a person, not a function)',
        ownCall(
          apiCallEvent('UpdateService', { service: 'web' }),
          'arn:aws:sts::123456789012:assumed-role/harbormaster-ci-deployer/alice',
        ),
        ['policy-enforcer'],
      ],
      [
        'UpdateService by an AWS service (no ARN)',
        ownCall(apiCallEvent('UpdateService', { service: 'web' }), null),
        ['policy-enforcer'],
      ],
      [
        'a service task starting',
        withDetail('task-running-fargate-docs-2025', {
          group: 'service:web',
          lastStatus: 'PROVISIONING',
          version: 1,
        }),
        [],
      ],
      [
        "a standalone Fargate task's first event (PROVISIONING)",
        withDetail('task-running-fargate-docs-2025', { lastStatus: 'PROVISIONING', version: 1 }),
        ['policy-enforcer'],
      ],
      [
        "a standalone EC2 bridge task's first event (PENDING: no PROVISIONING without awsvpc)",
        withDetail('task-stopped-essential-exit0-ec2-runtask-maasglobal', {
          lastStatus: 'PENDING',
          desiredStatus: 'RUNNING',
          version: 1,
        }),
        ['policy-enforcer'],
      ],
      [
        "a standalone task's first event already RUNNING",
        withDetail('task-running-ec2-docs-2025', { version: 1 }),
        ['policy-enforcer'],
      ],
      [
        "a standalone task's second event (PENDING)",
        withDetail('task-running-fargate-docs-2025', { lastStatus: 'PENDING', version: 2 }),
        [],
      ],
      [
        'a standalone task being stopped',
        withDetail('task-running-fargate-docs-2025', { desiredStatus: 'STOPPED', version: 4 }),
        [],
      ],
      [
        'a stopped service task that crashed',
        stoppedTask({
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          exitCode: 1,
        }),
        ['deployment-guard'],
      ],
      [
        'a service task killed by ELB health checks',
        stoppedTask({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason:
            'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123456789abcdef)',
          exitCode: 143,
        }),
        ['deployment-guard'],
      ],
      [
        'a service task killed by container health checks',
        stoppedTask({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Task failed container health checks',
          exitCode: 143,
        }),
        ['deployment-guard'],
      ],
      [
        // A reason seen with this stop code in the wild; the guard classifies it scheduler-stopped.
        'a service task the scheduler stopped for infrastructure maintenance',
        stoppedTask({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason:
            'ECS is performing maintenance on the underlying infrastructure hosting the task',
          exitCode: 137,
        }),
        [],
      ],
      [
        'a scale-in stop from before stopCode existed',
        stoppedTask({
          stopCode: undefined,
          stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/8646900195280463695)',
          exitCode: 137,
        }),
        [],
      ],
      [
        'a deployment state ECS does not document',
        withDetail('deployment-in-progress-docs', { eventName: 'SERVICE_DEPLOYMENT_STOPPED' }),
        [],
      ],
      [
        'a service task a person stopped',
        stoppedTask({
          stopCode: 'UserInitiated',
          stoppedReason: 'Task stopped by user',
          exitCode: 143,
        }),
        [],
      ],
      [
        'a service task Fargate Spot interrupted',
        stoppedTask({
          stopCode: 'SpotInterruption',
          stoppedReason: 'Your Spot Task was interrupted.',
          exitCode: 143,
        }),
        [],
      ],
      [
        'a service task the infrastructure took back',
        stoppedTask({
          stopCode: 'InfrastructureHealth',
          stoppedReason: 'Task stopped due to infrastructure health',
          exitCode: 143,
        }),
        [],
      ],
      [
        'a crashed service task from before stopCode existed',
        stoppedTask({
          stopCode: undefined,
          stoppedReason: 'Essential container in task exited',
          exitCode: 1,
        }),
        ['deployment-guard'],
      ],
      [
        'a service task that never started',
        stoppedTask({
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
          exitCode: undefined,
        }),
        ['deployment-guard'],
      ],
      [
        'a standalone task that crashed',
        stoppedTask({
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          exitCode: 1,
          group: 'family:web',
          startedBy: 'events-rule/nightly',
        }),
        [],
      ],
      [
        'a service task stopping, not yet stopped',
        withDetail('task-stopped-fargate-service-scalein-exit137-arkime', {
          lastStatus: 'DEPROVISIONING',
          stoppedReason: 'Essential container in task exited',
        }),
        [],
      ],
      [
        'an alarm returning to OK',
        withDetail('cloudwatch-alarm-state-change-single-metric-docs', {
          state: { value: 'OK', reason: 'Threshold Crossed' },
        }),
        [],
      ],
      [
        'a stopped task a batch job of this stage launched',
        stoppedTask({
          startedBy: 'harbormaster/ci/nightly-report/20261121T023000Z',
          group: 'family:report',
          exitCode: 0,
        }),
        ['batch-jobs'],
      ],
      [
        'a stopped task a batch job of another stage launched',
        stoppedTask({
          startedBy: 'harbormaster/prod/nightly-report/20261121T023000Z',
          group: 'family:report',
          exitCode: 0,
        }),
        [],
      ],
      [
        // Not batch-jobs' (it waits for STOPPED); the policy enforcer checks every standalone task.
        'a batch job task starting',
        withDetail('task-running-fargate-docs-2025', {
          startedBy: 'harbormaster/ci/nightly-report/20261121T023000Z',
          lastStatus: 'PROVISIONING',
          version: 1,
        }),
        ['policy-enforcer'],
      ],
    ])('route %s as intended', (_label, event, expected) => {
      // Assess
      expect(routedTo(event as Json)).toStrictEqual(expected);
    });

    // One task's events in order (ECS task lifecycle; versions as a task counts them). Whatever
    // states a task passes or skips, the policy enforcer receives exactly one of them.
    const lifecycle = (name: string, states: [string, string][]): Json[] =>
      states.map(([lastStatus, desiredStatus], i) =>
        withDetail(name, { lastStatus, desiredStatus, version: i + 1 }),
      );
    it.each([
      [
        'a Fargate task through every state',
        lifecycle('task-running-fargate-docs-2025', [
          ['PROVISIONING', 'RUNNING'],
          ['PENDING', 'RUNNING'],
          ['ACTIVATING', 'RUNNING'],
          ['RUNNING', 'RUNNING'],
          ['RUNNING', 'STOPPED'],
          ['DEPROVISIONING', 'STOPPED'],
          ['STOPPED', 'STOPPED'],
        ]),
      ],
      [
        'an EC2 bridge task (no PROVISIONING, no ACTIVATING)',
        lifecycle('task-stopped-essential-exit0-ec2-runtask-maasglobal', [
          ['PENDING', 'RUNNING'],
          ['RUNNING', 'RUNNING'],
          ['STOPPED', 'STOPPED'],
        ]),
      ],
      [
        'a Fargate task that never started (ENI or image failure)',
        lifecycle('task-running-fargate-docs-2025', [
          ['PROVISIONING', 'RUNNING'],
          ['DEPROVISIONING', 'STOPPED'],
          ['STOPPED', 'STOPPED'],
        ]),
      ],
    ])('route %s to the policy enforcer once', (_label, events) => {
      // Assess
      const reached = events.filter((e) => routedTo(e).includes('policy-enforcer'));
      expect(reached.map((e) => (e.detail as Json).version)).toStrictEqual([1]);
    });

    it.each([
      [
        'a pause hook awaiting action',
        deliveryFixture('hook-state-change-awaiting-action-docs'),
        ['deployment-hooks'],
      ],
      [
        'a pause hook without resources',
        deliveryFixture('hook-state-change-awaiting-action-pause-hooks-docs'),
        ['deployment-hooks'],
      ],
      [
        // Documented, but it asks nothing of people (ecs-deployment-strategies.md).
        'a pause hook in progress',
        {
          ...deliveryFixture('hook-state-change-awaiting-action-docs'),
          detail: {
            ...(deliveryFixture('hook-state-change-awaiting-action-docs').detail as Json),
            eventName: 'HOOK_IN_PROGRESS',
          },
        },
        [],
      ],
      [
        'a pause hook continued',
        {
          ...deliveryFixture('hook-state-change-awaiting-action-docs'),
          detail: {
            ...(deliveryFixture('hook-state-change-awaiting-action-docs').detail as Json),
            eventName: 'HOOK_SUCCEEDED',
          },
        },
        ['deployment-hooks'],
      ],
      [
        'a Lambda hook state change',
        {
          ...deliveryFixture('hook-state-change-awaiting-action-docs'),
          detail: {
            ...(deliveryFixture('hook-state-change-awaiting-action-docs').detail as Json),
            hookType: 'AWS_LAMBDA',
          },
        },
        [],
      ],
    ])('route %s as intended', (_label, event, expected) => {
      // Assess
      expect(routedTo(event as Json)).toStrictEqual(expected);
    });

    it("backs the deployment guard's wake-ups with a 15-minute sweep and sweeps Slack posts held back every minute, each with a rule of its own", () => {
      // Act
      const schedules = allRules().filter((rule) => rule.schedule);
      // Assess
      expect(schedules.map((r) => [r.target, r.schedule])).toStrictEqual([
        ['deployment-guard', 'rate(15 minutes)'],
        ['chat-actions', 'rate(1 minute)'],
      ]);
    });

    it('dead-letter events EventBridge could not deliver', () => {
      // Assess
      for (const rule of allRules()) {
        expect(rule.targetProps.DeadLetterConfig, rule.name).toStrictEqual({
          Arn: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
        });
      }
    });
  });

  it('sends every asynchronously invoked function that exhausts its retries to a dead-letter destination', () => {
    // Prepare
    const configs = Object.fromEntries(
      resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').map(([, r]) => [
        Object.keys(FUNCTIONS).find(
          (f) => logicalIdOf(f) === (r.Properties.FunctionName as { Ref: string }).Ref,
        ),
        r.Properties,
      ]),
    );
    // Assess
    for (const name of functionNames()) {
      expect(configs[name], name).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
    }
    expect(configs['service-alerts']?.DestinationConfig).toStrictEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': ['DeadDashlettersLambdaFunction', 'Arn'] } },
    });
    expect(configs['dead-letters']?.DestinationConfig).toStrictEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } },
    });
  });

  it('alarms on every function errors, its uncertain alerts and on dead-letter queue depth, into the alert topic', () => {
    // Prepare
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    // Assess
    for (const name of functionNames()) {
      expect(alarms, name).toContainEqual(
        expect.objectContaining({
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: `harbormaster-ci-${name}` }],
          AlarmActions: [{ Ref: 'AlertTopic' }],
        }),
      );
      // An alert an attempt died while sending is neither resent nor known sent: a person looks.
      expect(alarms, name).toContainEqual(
        expect.objectContaining({
          Namespace: 'Harbormaster',
          MetricName: 'AlertsUncertain',
          Dimensions: [
            { Name: 'service', Value: name },
            { Name: 'stage', Value: 'ci' },
          ],
          AlarmActions: [{ Ref: 'AlertTopic' }],
        }),
      );
    }
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: 'AlertTopic' }],
      }),
    );
  });

  it('gives the deployment guard a table with the keys, due-time index and TTL its store uses', () => {
    // Prepare
    const table = template.Resources.GuardTable?.Properties as Json;
    const guard = functionResource('deployment-guard').Properties;
    // Assess
    expect(table).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        expect.objectContaining({
          IndexName: DUE_INDEX,
          KeySchema: [
            { AttributeName: 'dueBucket', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
        }),
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(guard.Environment).toMatchObject({
      Variables: expect.objectContaining({ GUARD_TABLE_NAME: { Ref: 'GuardTable' } }),
    });
  });

  it('puts chat-actions behind a function URL of auth type NONE, invoked by its own queue topic, which only it may publish to', () => {
    // Prepare
    const urls = resourcesOfType(template, 'AWS::Lambda::Url').map(([, r]) => r.Properties);
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(
      ([, r]) => r.Properties,
    );
    const target = { 'Fn::GetAtt': ['ChatDashactionsLambdaFunction', 'Arn'] };
    const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').map(
      ([, r]) => r.Properties,
    );
    const topicPolicy = JSON.stringify(template.Resources.ChatActionsTopicPolicy?.Properties);
    // Assess: Slack cannot sign with SigV4 (urls-invocation.html); a URL of auth type NONE needs
    // lambda:InvokeFunctionUrl and lambda:InvokeFunction for everyone.
    expect(urls).toStrictEqual([{ AuthType: 'NONE', TargetFunctionArn: target }]);
    expect(permissions).toContainEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      }),
    );
    expect(permissions).toContainEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: '*',
        InvokedViaFunctionUrl: true,
      }),
    );
    expect(subscriptions).toContainEqual(
      expect.objectContaining({ Protocol: 'lambda', TopicArn: { Ref: 'ChatActionsTopic' } }),
    );
    expect(topicPolicy).toContain('"Effect":"Deny"');
    expect(topicPolicy).toContain('ChatActionsRole');
    expect(functionResource('chat-actions').Properties.Environment).toMatchObject({
      Variables: expect.objectContaining({ CHAT_ACTIONS_TOPIC_ARN: { Ref: 'ChatActionsTopic' } }),
    });
  });

  it('encrypts the alert topic with a rotating KMS key that CloudWatch alarms may use', () => {
    // Assess
    expect(template.Resources.AlertTopic?.Properties.KmsMasterKeyId).toStrictEqual({
      Ref: 'AlertKey',
    });
    expect(template.Resources.AlertKey?.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(template.Resources.AlertKey?.Properties.KeyPolicy)).toContain(
      'cloudwatch.amazonaws.com',
    );
  });

  it('reserves concurrency for every function, so an event storm cannot starve the account', () => {
    // Assess: the defaults (reservedConcurrency in harbormaster.yml is commented out)
    const reserved = Object.fromEntries(
      functionNames().map((name) => [
        name,
        functionResource(name).Properties.ReservedConcurrentExecutions,
      ]),
    );
    expect(reserved).toStrictEqual({
      'batch-jobs': 10,
      'dead-letters': 2,
      'deployment-guard': 10,
      'deployment-hooks': 10,
      'policy-enforcer': 10,
      'service-alerts': 5,
      'chat-actions': 5,
    });
  });

  it('tells every function its own account and partition, to drop events from elsewhere', () => {
    // Assess
    for (const name of functionNames()) {
      expect(functionResource(name).Properties.Environment, name).toMatchObject({
        Variables: expect.objectContaining({
          HARBORMASTER_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          HARBORMASTER_PARTITION: { Ref: 'AWS::Partition' },
        }),
      });
    }
  });

  describe('IAM', () => {
    type Statement = {
      Effect: string;
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    };
    type PolicyDocument = { PolicyDocument: { Statement: Statement[] } };
    /** A role's inline statements and those of the AWS::IAM::Policy resources attached to it. */
    const statementsOf = (roleId: string): Statement[] => {
      const role = template.Resources[roleId];
      const inline = (role?.Properties.Policies ?? []) as PolicyDocument[];
      const attached = resourcesOfType(template, 'AWS::IAM::Policy')
        .map(([, policy]) => policy.Properties as PolicyDocument & { Roles: { Ref: string }[] })
        .filter((policy) => policy.Roles.some((r) => r.Ref === roleId));
      return [...inline, ...attached].flatMap((p) => p.PolicyDocument.Statement);
    };
    const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    const roleOf = (name: string): string =>
      (functionResource(name).Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const PLUMBING = new Set([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'lambda:InvokeFunction',
    ]);

    it.each(Object.keys(FUNCTIONS))(
      'grants %s exactly what its load step and its actions use',
      (name) => {
        // Prepare
        const definition = FUNCTIONS[name];
        const needed = new Set([
          ...(definition?.reads ?? []),
          ...(definition ? permissionsOf(definition.runners) : []),
        ]);
        // Act
        const granted = new Set(
          statementsOf(roleOf(name))
            .flatMap(actionsOf)
            .filter((a) => !PLUMBING.has(a)),
        );
        // Assess
        expect([...granted].sort()).toStrictEqual([...needed].sort());
      },
    );

    it('never allows every action, nor a mutating ECS or SNS action on every resource without a condition', () => {
      // Assess
      for (const [roleId] of resourcesOfType(template, 'AWS::IAM::Role')) {
        for (const statement of statementsOf(roleId)) {
          for (const action of actionsOf(statement)) {
            expect(action, roleId).not.toMatch(/\*$/);
            const mutating =
              /^(ecs|sns):/.test(action) && !/^(ecs|sns):(Describe|List|Get)/.test(action);
            if (mutating && statement.Resource === '*')
              expect(statement.Condition, `${roleId} ${action}`).toBeDefined();
          }
        }
      }
    });

    // harbormaster.yml's scope: clusters [prod, staging, batch], families [web, payments,
    // checkout-*, nightly-report], roles [*-task, *-execution].
    const ecs = (path: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:${path}`,
    });
    const CLUSTERS = ['prod', 'staging', 'batch'];
    const FAMILIES = ['web', 'payments', 'checkout-*', 'nightly-report'];
    const onClusters = { 'ecs:cluster': CLUSTERS.map((c) => ecs(`cluster/${c}`)) };

    // Service Authorization Reference, ECS (https://docs.aws.amazon.com/service-authorization/
    // latest/reference/list_amazonelasticcontainerservice.html): UpdateService takes the service
    // resource (service/<cluster>/<name>) and the ecs:cluster and ecs:task-definition condition keys;
    // StopTask the task resource and ecs:cluster; TagResource the task-definition resource;
    // DeregisterTaskDefinition no resource type and no ECS condition key.
    it.each(['deployment-guard', 'policy-enforcer'])(
      'lets %s update only services of the scope\u2019s clusters, to revisions of its families',
      (name) => {
        // Prepare
        const granting = statementsOf(roleOf(name)).filter((st) =>
          actionsOf(st).includes('ecs:UpdateService'),
        );
        // Assess
        expect(granting).toStrictEqual([
          expect.objectContaining({
            Resource: CLUSTERS.map((c) => ecs(`service/${c}/*`)),
            Condition: {
              ArnLike: {
                ...onClusters,
                'ecs:task-definition': FAMILIES.map((f) => ecs(`task-definition/${f}:*`)),
              },
            },
          }),
        ]);
      },
    );

    // StopServiceDeployment takes the service-deployment resource
    // (service-deployment/<cluster>/<service>/<id>, service-deployment-permissions.html).
    it('lets the deployment guard stop only service deployments of the scope\u2019s clusters', () => {
      // Prepare
      const granting = statementsOf(roleOf('deployment-guard')).filter((st) =>
        actionsOf(st).includes('ecs:StopServiceDeployment'),
      );
      // Assess
      expect(granting).toStrictEqual([
        expect.objectContaining({
          Action: 'ecs:StopServiceDeployment',
          Resource: CLUSTERS.map((c) => ecs(`service-deployment/${c}/*`)),
        }),
      ]);
    });

    it('lets the policy enforcer stop tasks of the scope\u2019s clusters and tag revisions of its families with its own keys', () => {
      // Prepare
      const statements = statementsOf(roleOf('policy-enforcer'));
      const granting = (action: string) => statements.filter((s) => actionsOf(s).includes(action));
      // Assess: StopTask takes the task resource and ecs:cluster; TagResource the task-definition
      // resource and aws:TagKeys.
      expect(granting('ecs:StopTask')).toMatchObject([
        {
          Resource: CLUSTERS.map((c) => ecs(`task/${c}/*`)),
          Condition: { ArnLike: onClusters },
        },
      ]);
      expect(granting('ecs:TagResource')).toMatchObject([
        {
          Resource: FAMILIES.map((f) => ecs(`task-definition/${f}:*`)),
          Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['harbormaster:*'] } },
        },
      ]);
      // DeregisterTaskDefinition takes no resource type and no condition key of ECS: held to this
      // region by IAM, to scope.taskFamilies by the enforcer itself.
      expect(granting('ecs:DeregisterTaskDefinition')).toMatchObject([
        {
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
        },
      ]);
    });

    it.each(['deployment-guard', 'policy-enforcer'])(
      'lets %s pass only the scope\u2019s roles, and only to ECS tasks (a rollback passes its revision\u2019s roles)',
      (name) => {
        // Prepare
        // The wake-up role is passed to Scheduler, not ECS (checked below).
        const passing = statementsOf(roleOf(name)).filter(
          (st) => actionsOf(st).includes('iam:PassRole') && !isWakeupRole(st.Resource),
        );
        // Assess
        expect(passing).toStrictEqual([
          expect.objectContaining({
            Action: 'iam:PassRole',
            Resource: ['*-task', '*-execution'].map((role) => ({
              'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${role}`,
            })),
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
        ]);
      },
    );

    const isWakeupRole = (resource: unknown) =>
      JSON.stringify(resource) === JSON.stringify({ 'Fn::GetAtt': ['WakeupSchedulerRole', 'Arn'] });

    // Service Authorization Reference, EventBridge Scheduler (list_amazoneventbridgescheduler.html):
    // CreateSchedule takes the schedule resource, schedule/<group>/<name>; creating a schedule
    // passes its execution role (iam:PassRole, https://docs.aws.amazon.com/scheduler/latest/
    // UserGuide/setting-up.html#setting-up-execution-role).
    it.each(['deployment-guard', 'batch-jobs'])(
      'lets %s create one-time schedules only in the stage’s wake-up group under its own name, passing only the wake-up role to Scheduler',
      (name) => {
        // Prepare
        const statements = statementsOf(roleOf(name));
        const creating = statements.filter((st) =>
          actionsOf(st).includes('scheduler:CreateSchedule'),
        );
        const passingWakeup = statements.filter(
          (st) => actionsOf(st).includes('iam:PassRole') && isWakeupRole(st.Resource),
        );
        // Assess
        expect(creating).toStrictEqual([
          expect.objectContaining({
            // The guard also deletes a deadline's own wake-up when the deployment completes first.
            Action:
              name === 'deployment-guard'
                ? ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']
                : 'scheduler:CreateSchedule',
            Resource: {
              'Fn::Sub': `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/harbormaster-ci-wakeups/${name}-*`,
            },
          }),
        ]);
        expect(passingWakeup).toStrictEqual([
          expect.objectContaining({
            Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          }),
        ]);
      },
    );

    it('lets no other function create schedules, and the wake-up role only invoke the two woken functions, assumed by Scheduler for this account', () => {
      // Assess
      for (const name of functionNames().filter(
        (n) => n !== 'deployment-guard' && n !== 'batch-jobs',
      ))
        expect(
          statementsOf(roleOf(name))
            .flatMap(actionsOf)
            .filter((a) => a.startsWith('scheduler:')),
          name,
        ).toStrictEqual([]);
      expect(trustOf(template, 'WakeupSchedulerRole')).toStrictEqual(SCHEDULER_TRUST);
      expect(statementsOf('WakeupSchedulerRole')).toStrictEqual([
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: ['deployment-guard', 'batch-jobs'].map((fn) => ({
            'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:harbormaster-ci-${fn}`,
          })),
        }),
      ]);
      expect(template.Resources.WakeupScheduleGroup?.Properties).toStrictEqual({
        Name: 'harbormaster-ci-wakeups',
      });
      for (const name of ['deployment-guard', 'batch-jobs'])
        expect(functionResource(name).Properties.Environment, name).toMatchObject({
          Variables: expect.objectContaining({
            WAKEUP_GROUP: 'harbormaster-ci-wakeups',
            WAKEUP_ROLE_ARN: { 'Fn::GetAtt': ['WakeupSchedulerRole', 'Arn'] },
          }),
        });
    });

    it('grants no role an ECS change on every cluster, family or role when the scope names them', () => {
      // Assess
      for (const [roleId] of resourcesOfType(template, 'AWS::IAM::Role')) {
        for (const statement of statementsOf(roleId)) {
          if (
            !actionsOf(statement).some((a) =>
              /^ecs:(UpdateService|StopTask|StopServiceDeployment|TagResource)$|^iam:PassRole$/.test(
                a,
              ),
            )
          )
            continue;
          expect(JSON.stringify(statement.Resource), roleId).not.toMatch(
            /:(service|service-deployment|task|task-definition|role)\/\*"/,
          );
        }
      }
    });

    it('creates the functions that change ECS only once their scoped policy is in place', () => {
      // Assess
      expect(functionResource('deployment-guard').DependsOn).toContain(
        'DeploymentGuardEcsChangesPolicy',
      );
      expect(functionResource('policy-enforcer').DependsOn).toContain(
        'PolicyEnforcerEcsChangesPolicy',
      );
    });

    it('lets the deployment guard use only its own table and the dedup table', () => {
      // Prepare
      const statements = statementsOf(roleOf('deployment-guard'));
      const grantsOf = (action: string) =>
        statements.filter((st) => actionsOf(st).includes(action)).map((st) => st.Resource);
      // Assess
      const guardTable = [
        { 'Fn::GetAtt': ['GuardTable', 'Arn'] },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder.
        { 'Fn::Sub': '${GuardTable.Arn}/index/due' },
      ];
      const claims = { 'Fn::GetAtt': ['DedupTable', 'Arn'] };
      expect(grantsOf('dynamodb:UpdateItem')).toStrictEqual([guardTable, claims]);
      expect(grantsOf('dynamodb:PutItem')).toStrictEqual([guardTable, claims]);
      expect(grantsOf('dynamodb:GetItem')).toStrictEqual([claims]);
    });

    it('lets ECS invoke the deployment-hooks function, and nothing else, through a role only ECS may assume', () => {
      // Prepare
      const role = template.Resources.DeploymentHooksInvokeRole?.Properties as Json;
      // Assess
      expect(role.AssumeRolePolicyDocument).toStrictEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ecs.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      });
      expect(statementsOf('DeploymentHooksInvokeRole')).toStrictEqual([
        {
          Sid: 'InvokeTheHookFunctionOnly',
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': ['DeploymentDashhooksLambdaFunction', 'Arn'] },
        },
      ]);
      expect(template.Outputs).toMatchObject({
        DeploymentHooksFunctionArn: {
          Value: { 'Fn::GetAtt': ['DeploymentDashhooksLambdaFunction', 'Arn'] },
        },
        DeploymentHooksInvokeRoleArn: {
          Value: { 'Fn::GetAtt': ['DeploymentHooksInvokeRole', 'Arn'] },
        },
      });
    });

    it('gives the hook function a timeout ECS can wait for, and keeps it to the guard table and the claims table', () => {
      // Prepare
      const props = functionResource('deployment-hooks').Properties;
      const statements = statementsOf(roleOf('deployment-hooks'));
      const grantsOf = (action: string) =>
        statements.filter((st) => actionsOf(st).includes(action)).map((st) => st.Resource);
      const guardTable = { 'Fn::GetAtt': ['GuardTable', 'Arn'] };
      const claimsTable = { 'Fn::GetAtt': ['DedupTable', 'Arn'] };
      // Assess: its progress in the guard table; its alerts' leases in the claims table.
      expect(props.Timeout).toBe(30);
      expect(grantsOf('dynamodb:GetItem')).toStrictEqual([guardTable, claimsTable]);
      expect(grantsOf('dynamodb:PutItem')).toStrictEqual([guardTable, claimsTable]);
      expect(grantsOf('dynamodb:UpdateItem')).toStrictEqual([claimsTable]);
    });

    it('lets each function write only to its own log group', () => {
      // Assess
      for (const name of functionNames()) {
        const logs = statementsOf(roleOf(name)).find((s) =>
          actionsOf(s).includes('logs:PutLogEvents'),
        );
        expect(JSON.stringify(logs?.Resource), name).toContain(
          `/aws/lambda/harbormaster-ci-${name}:*`,
        );
      }
    });
  });
});

describe('serverless package with a bad configuration', () => {
  it('fails and names the bad field', async () => {
    // Act
    const result = await packageWithConfig(
      'alerts:\n  slack:\n    webhookUrlParameter: https://hooks.slack.com/services/T/B/X\n',
    );
    // Assess
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'alerts.slack.webhookUrlParameter: expected an SSM parameter name',
    );
  }, 120_000);

  it('grants read access to the Slack webhook, bot token and signing secret, the threads, the routed topics and service tags only when configured', async () => {
    // Prepare
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'hm-config-')), 'harbormaster.yml');
    writeFileSync(
      file,
      [
        TEST_SCOPE,
        'alerts:',
        '  slack:',
        '    webhookUrlParameter: /aws/reference/secretsmanager/harbormaster/slack',
        '  slackApp:',
        '    botTokenParameter: /harbormaster/slack-bot-token',
        '    channel: C0DEPLOYS1',
        '  topics:',
        '    oncall: arn:aws:sns:us-east-1:111122223333:oncall',
        '  webhooks:',
        '    sre: { webhookUrlParameter: /harbormaster/slack-webhook-sre }',
        '  routes:',
        '    - match: { severity: error }',
        '      to: [sns:oncall]',
        '      continue: true',
        'chat:',
        '  signingSecretParameter: /harbormaster/slack-signing-secret',
        '  appId: A0HARBOR1',
        '',
      ].join('\n'),
    );
    // Act
    const configured = await packageStack({ configFile: file });
    // Assess
    const every = [
      { Ref: 'ServiceAlertsRole' },
      { Ref: 'DeploymentGuardRole' },
      { Ref: 'DeploymentHooksRole' },
      { Ref: 'PolicyEnforcerRole' },
      { Ref: 'BatchJobsRole' },
      { Ref: 'DeadLettersRole' },
      { Ref: 'ChatActionsRole' },
    ];
    const policyOf = (name: string) =>
      configured.Resources[name]?.Properties as { Roles: unknown[]; PolicyDocument: unknown };
    for (const name of [
      'SlackWebhookReadPolicy',
      'SlackAppPolicy',
      'SlackSigningSecretPolicy',
      'AlertRoutesTopicsPolicy',
      'AlertRoutesWebhooksPolicy',
      'AlertRoutingTagsPolicy',
    ])
      expect(template.Resources[name], name).toBeUndefined();
    for (const name of [
      'SlackWebhookReadPolicy',
      'SlackAppPolicy',
      'AlertRoutesTopicsPolicy',
      'AlertRoutesWebhooksPolicy',
    ]) {
      expect(policyOf(name).Roles, name).toHaveLength(every.length);
      expect(policyOf(name).Roles, name).toStrictEqual(expect.arrayContaining(every));
    }
    expect(JSON.stringify(policyOf('SlackWebhookReadPolicy').PolicyDocument)).toContain(
      'secret:harbormaster/slack-*',
    );
    const app = JSON.stringify(policyOf('SlackAppPolicy').PolicyDocument);
    expect(app).toContain('parameter/harbormaster/slack-bot-token');
    expect(app).not.toContain('signing-secret');
    expect(app).toContain('GuardTable');
    expect(policyOf('SlackSigningSecretPolicy').Roles).toStrictEqual([{ Ref: 'ChatActionsRole' }]);
    expect(JSON.stringify(policyOf('SlackSigningSecretPolicy').PolicyDocument)).toContain(
      'parameter/harbormaster/slack-signing-secret',
    );
    expect(JSON.stringify(policyOf('AlertRoutesTopicsPolicy').PolicyDocument)).toContain(
      'arn:aws:sns:us-east-1:111122223333:oncall',
    );
    expect(JSON.stringify(policyOf('AlertRoutingTagsPolicy').PolicyDocument)).toContain(
      'ecs:DescribeServices',
    );
    expect(JSON.stringify(policyOf('AlertRoutesWebhooksPolicy').PolicyDocument)).toContain(
      'parameter/harbormaster/slack-webhook-sre',
    );
  }, 120_000);
});
