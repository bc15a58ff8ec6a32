import { describe, expect, it } from 'vitest';
import { taskDefinitionValid } from '#policies/rules/task-definition-valid.ts';
import { registerFixture } from '#support/fixtures.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

describe('Rule: task-definition-valid', () => {
  it('Compliance: real documents ECS registers', () => {
    // Assess
    for (const name of [
      'deploy-action-task-definition.json',
      'ecs-agent-cap-add.json',
      'ecs-agent-privileged.json',
    ]) {
      expect(
        verdict(checkRule(taskDefinitionValid, { taskDefinition: registerFixture(name) })),
      ).toBe('compliant');
    }
  });

  it('Noncompliance: valueFrom inside environment, a cluster ARN as the execution role, memory as a string', () => {
    // Prepare: the GitHub action's integration test task definition with three fields changed.
    const real = registerFixture('deploy-action-task-definition.json');
    const [container] = real.containerDefinitions ?? [];
    const td = {
      ...real,
      executionRoleArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      containerDefinitions: [
        {
          ...container,
          memory: '512' as unknown as number,
          environment: [
            { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' },
          ],
        },
      ],
    };
    // Assess
    expect(verdict(checkRule(taskDefinitionValid, { taskDefinition: td }))).toStrictEqual([
      'executionRoleArn is the ARN of ecs resource, not an IAM role ARN (RegisterTaskDefinition would reject it)',
      'container sample-app: memory must be an integer, not a string (RegisterTaskDefinition would reject it)',
      'container sample-app: environment[0] has valueFrom, which belongs in secrets (RegisterTaskDefinition would reject it)',
    ]);
  });

  it('Noncompliance: awsvpc port mappings whose host port differs', () => {
    // Prepare
    const td = withContainer({ portMappings: [{ containerPort: 8080, hostPort: 80 }] });
    // Assess
    expect(verdict(checkRule(taskDefinitionValid, { taskDefinition: td }))).toStrictEqual([
      expect.stringContaining('hostPort must equal containerPort'),
    ]);
  });

  it('Compliance: placeholders are left to the rendered document', () => {
    // Prepare
    const td = withContainer(
      { memory: '${memory}' as unknown as number },
      { executionRoleArn: '${EXECUTION_ROLE}' },
    );
    // Assess
    expect(verdict(checkRule(taskDefinitionValid, { taskDefinition: td }))).toBe('compliant');
  });
});
