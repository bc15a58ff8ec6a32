import { describe, expect, it } from 'vitest';
import { noHostPid } from '#policies/rules/no-host-pid.ts';
import { checkRule, compliantTaskDefinition, verdict } from '#support/task-definitions.ts';

describe('Rule: no-host-pid (CT.ECS.PR.10)', () => {
  it.each([
    ['host', 'the task shares the host\u2019s process namespace (pidMode "host")'],
    ['', 'pidMode is empty'],
  ])('Noncompliance: pidMode "%s"', (pidMode, message) => {
    // Act
    const outcome = checkRule(noHostPid, {
      taskDefinition: compliantTaskDefinition({ pidMode: pidMode as 'host' }),
    });
    // Assess
    expect(outcome).toStrictEqual([
      { message, location: { target: 'taskDefinition', path: ['pidMode'], container: undefined } },
    ]);
  });

  it.each([['task'], [undefined]])('Compliance: pidMode %s', (pidMode) => {
    // Assess
    expect(
      verdict(
        checkRule(noHostPid, {
          taskDefinition: compliantTaskDefinition({ pidMode: pidMode as 'task' }),
        }),
      ),
    ).toBe('compliant');
  });

  it('Not applicable: no task definition', () => {
    // Assess
    expect(checkRule(noHostPid, {})).toBe('not-applicable');
  });
});
