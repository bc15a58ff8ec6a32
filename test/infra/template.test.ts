import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/registry.ts';
import { buildFunctions } from '../../infra/build/bundle.ts';
import { functionNames } from '../../infra/build/functions.ts';
import { matchesPattern, validatePattern } from '../../infra/local-aws/event-pattern.ts';
import { permissionsFor } from '../../shared/actions/execute.ts';
import { fixture, fixtureNames, type Json, stoppedTask, withDetail } from '../support/events.ts';
import {
  type CfnResource,
  packageStack,
  packageWithConfig,
  resourcesOfType,
  type Template,
} from '../support/packaged-stack.ts';

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

/** Each rule's event pattern and the function it targets. */
const rules = (): { name: string; pattern: Json; target: string; targetProps: Json }[] =>
  resourcesOfType(template, 'AWS::Events::Rule').map(([name, rule]) => {
    const [target] = rule.Properties.Targets as Json[];
    const arn = (target as { Arn: { 'Fn::GetAtt': [string, string] } }).Arn['Fn::GetAtt'][0];
    const fn = Object.keys(FUNCTIONS).find((f) => logicalIdOf(f) === arn) ?? arn;
    return {
      name,
      pattern: rule.Properties.EventPattern as Json,
      target: fn,
      targetProps: target as Json,
    };
  });

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
      'deployment-in-progress-docs': ['service-alerts'],
      'deployment-in-progress-rollback-docs': ['service-alerts'],
      'deployment-in-progress-TRIMMED-autoptic': ['service-alerts'],
      'deployment-completed-docs': ['service-alerts'],
      'deployment-failed-circuit-breaker-docs': ['service-alerts'],
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
        'a stopped task that crashed',
        stoppedTask({
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          exitCode: 1,
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
        'a batch job task that is still running',
        withDetail('task-running-fargate-docs-2025', {
          startedBy: 'harbormaster/ci/nightly-report/20261121T023000Z',
        }),
        [],
      ],
    ])('route %s as intended', (_label, event, expected) => {
      // Assess
      expect(routedTo(event as Json)).toStrictEqual(expected);
    });

    it('dead-letter events EventBridge could not deliver', () => {
      // Assess
      for (const rule of rules()) {
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

  it('alarms on every function errors and on dead-letter queue depth, into the alert topic', () => {
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
    }
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: 'AlertTopic' }],
      }),
    );
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

  describe('IAM', () => {
    type Statement = {
      Effect: string;
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    };
    const statementsOf = (roleId: string): Statement[] => {
      const role = template.Resources[roleId];
      const policies = (role?.Properties.Policies ?? []) as {
        PolicyDocument: { Statement: Statement[] };
      }[];
      return policies.flatMap((p) => p.PolicyDocument.Statement);
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
          ...(definition?.emits ?? []).flatMap((type) => permissionsFor(type)),
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

  it('grants read access to the Slack webhook parameter only when Slack is configured', async () => {
    // Prepare
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'hm-config-')), 'harbormaster.yml');
    writeFileSync(
      file,
      'alerts:\n  slack:\n    webhookUrlParameter: /aws/reference/secretsmanager/harbormaster/slack\n',
    );
    // Act
    const withSlack = await packageStack({ configFile: file });
    // Assess
    expect(template.Resources.SlackWebhookReadPolicy).toBeUndefined();
    const policy = withSlack.Resources.SlackWebhookReadPolicy?.Properties as {
      Roles: unknown[];
      PolicyDocument: unknown;
    };
    expect(policy.Roles).toStrictEqual([
      { Ref: 'ServiceAlertsRole' },
      { Ref: 'BatchJobsRole' },
      { Ref: 'DeadLettersRole' },
    ]);
    expect(JSON.stringify(policy.PolicyDocument)).toContain('secret:harbormaster/slack-*');
  }, 120_000);
});
