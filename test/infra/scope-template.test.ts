import { describe, expect, it } from 'vitest';
import { describeStack } from '#infra/stack/describe.ts';
import { ConfigError } from '#kernel/errors.ts';
import { configFileWith, packageStackWithOutput } from '#support/packaged-stack.ts';

type Statement = { Action: string; Resource: unknown; Condition?: unknown };

const describeWith = (configText: string) =>
  describeStack({ configFile: configFileWith(configText), functions: {} });

const statementOf = (resources: Record<string, unknown>, policy: string, action: string) =>
  (
    resources[policy] as { Properties: { PolicyDocument: { Statement: Statement[] } } }
  ).Properties.PolicyDocument.Statement.find((s) => s.Action === action);

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders.
const ACCOUNT = '${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}';

describe('The scope at packaging', () => {
  it('fails while it names no cluster, family or role: "everything" is never the default', () => {
    // Act
    const run = () => describeWith('dryRun: false\n');
    // Assess
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /scope\.clusters: name the clusters whose services Harbormaster may roll back/,
    );
    expect(run).toThrow(/scope\.taskFamilies: name the task definition families/);
    expect(run).toThrow(/scope\.passRoles: name the roles a rollback may pass to ECS tasks/);
  });

  it('holds the changes to cluster ARNs, name patterns and role paths as written, without warning', () => {
    // Act
    const { resources, warnings } = describeWith(
      [
        'scope:',
        '  clusters: [arn:aws:ecs:eu-west-1:123456789012:cluster/prod, "stag*"]',
        '  taskFamilies: [web]',
        '  passRoles: [/ecs/web-task, arn:aws:iam::123456789012:role/web-execution]',
      ].join('\n'),
    );
    const all = resources.Resources;
    // Assess
    expect(warnings).toStrictEqual([]);
    expect(statementOf(all, 'PolicyEnforcerEcsChangesPolicy', 'ecs:StopTask')).toMatchObject({
      Resource: [
        'arn:aws:ecs:eu-west-1:123456789012:task/prod/*',
        { 'Fn::Sub': `arn:${ACCOUNT}:task/stag*/*` },
      ],
      Condition: {
        ArnLike: {
          'ecs:cluster': [
            'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
            { 'Fn::Sub': `arn:${ACCOUNT}:cluster/stag*` },
          ],
        },
      },
    });
    expect(
      statementOf(all, 'DeploymentGuardEcsChangesPolicy', 'iam:PassRole')?.Resource,
    ).toStrictEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders.
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/ecs/web-task' },
      'arn:aws:iam::123456789012:role/web-execution',
    ]);
  });

  it('refuses a reserved concurrency for a function that does not exist, or out of range', () => {
    // Act
    const run = () =>
      describeWith(
        'scope: { clusters: [prod], taskFamilies: [web], passRoles: [web-task] }\nreservedConcurrency: { batch: 5, service-alerts: 0 }\n',
      );
    // Assess
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/reservedConcurrency\.batch/);
    expect(run).toThrow(/reservedConcurrency\.service-alerts: too small/);
  });

  it('grants everything only when asked, then warns at packaging; reserves concurrency as configured', async () => {
    // Act
    const { template, output } = await packageStackWithOutput({
      configFile: configFileWith(
        [
          'scope: { clusters: ["*"], taskFamilies: ["*"], passRoles: ["*"] }',
          'reservedConcurrency: { deployment-guard: 3, dead-letters: 1 }',
        ].join('\n'),
      ),
    });
    // Assess
    expect(output).toContain(
      'Harbormaster warning: scope.clusters is "*": Harbormaster may change every cluster of the account',
    );
    expect(output).toContain('Harbormaster warning: scope.taskFamilies is "*"');
    expect(output).toContain('Harbormaster warning: scope.passRoles is "*"');
    const update = statementOf(
      template.Resources,
      'DeploymentGuardEcsChangesPolicy',
      'ecs:UpdateService',
    );
    expect(update).toMatchObject({
      Resource: [{ 'Fn::Sub': `arn:${ACCOUNT}:service/*/*` }],
      Condition: { ArnLike: { 'ecs:cluster': [{ 'Fn::Sub': `arn:${ACCOUNT}:cluster/*` }] } },
    });
    expect(
      template.Resources.DeploymentDashguardLambdaFunction?.Properties.ReservedConcurrentExecutions,
    ).toBe(3);
    expect(
      template.Resources.DeadDashlettersLambdaFunction?.Properties.ReservedConcurrentExecutions,
    ).toBe(1);
    expect(
      template.Resources.ServiceDashalertsLambdaFunction?.Properties.ReservedConcurrentExecutions,
    ).toBe(5);
  }, 120_000);
});
