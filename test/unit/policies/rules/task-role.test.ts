import { describe, expect, it } from 'vitest';
import { taskRole } from '#policies/rules/task-role.ts';
import { checkRule, compliantTaskDefinition, verdict } from '#support/task-definitions.ts';

describe('Rule: task-role', () => {
  it('Noncompliance: no task role', () => {
    // Prepare
    const td = compliantTaskDefinition({ taskRoleArn: undefined });
    // Assess
    expect(verdict(checkRule(taskRole, { taskDefinition: td }))).toStrictEqual([
      'the task sets no task role (taskRoleArn)',
    ]);
  });

  it('Noncompliance: the task role is the execution role', () => {
    // Prepare
    const role = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
    const td = compliantTaskDefinition({ taskRoleArn: role, executionRoleArn: role });
    // Assess
    expect(verdict(checkRule(taskRole, { taskDefinition: td }))).toStrictEqual([
      'the task role is the execution role (taskRoleArn equals executionRoleArn)',
    ]);
  });

  it('Compliance: a task role of its own, with or without an execution role', () => {
    // Assess
    expect(verdict(checkRule(taskRole, { taskDefinition: compliantTaskDefinition() }))).toBe(
      'compliant',
    );
    expect(
      verdict(
        checkRule(taskRole, {
          taskDefinition: compliantTaskDefinition({ executionRoleArn: undefined }),
        }),
      ),
    ).toBe('compliant');
  });

  it('Not applicable: no task definition', () => {
    // Assess
    expect(checkRule(taskRole, { service: {} })).toBe('not-applicable');
  });
});
