import { describe, expect, it } from 'vitest';
import { notPrivileged } from '#policies/rules/not-privileged.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

describe('Rule: not-privileged (CT.ECS.PR.11)', () => {
  it('Noncompliance: a privileged container', () => {
    // Act
    const outcome = checkRule(notPrivileged, {
      taskDefinition: withContainer({ privileged: true }),
    });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message: 'container app runs privileged',
        location: {
          target: 'taskDefinition',
          path: ['containerDefinitions', 0, 'privileged'],
          container: 'app',
        },
      },
    ]);
  });

  it.each([[false], [undefined]])('Compliance: privileged %s', (privileged) => {
    // Assess
    expect(
      verdict(checkRule(notPrivileged, { taskDefinition: withContainer({ privileged }) })),
    ).toBe('compliant');
  });

  it('Not applicable: no task definition', () => {
    // Assess
    expect(checkRule(notPrivileged, {})).toBe('not-applicable');
  });

  it('Unknown: privileged set by a CloudFormation condition (a placeholder once read)', () => {
    // Assess
    expect(
      verdict(
        checkRule(notPrivileged, {
          taskDefinition: withContainer({ privileged: '${Fn::If}' as unknown as boolean }),
        }),
      ),
    ).toStrictEqual([
      expect.stringMatching(/^unknown: container app: unknown, privileged is a placeholder/),
    ]);
  });
});
