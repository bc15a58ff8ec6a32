import { describe, expect, it } from 'vitest';
import { minimumHealthyPercent } from '#policies/rules/minimum-healthy-percent.ts';
import { checkRule, compliantService, verdict } from '#support/task-definitions.ts';

const withMinimum = (minimumHealthyPercent: number | undefined) =>
  compliantService({ deploymentConfiguration: { minimumHealthyPercent } });

describe('Rule: minimum-healthy-percent', () => {
  it('Noncompliance: below the default threshold (100)', () => {
    // Act
    const outcome = checkRule(minimumHealthyPercent, { service: withMinimum(50) });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message:
          'service prod/web may drop to 50% healthy tasks during a deployment (minimum 100%)',
        location: { target: 'service', path: ['deploymentConfiguration', 'minimumHealthyPercent'] },
      },
    ]);
  });

  it('Noncompliance: below a configured threshold', () => {
    // Assess
    expect(
      verdict(checkRule(minimumHealthyPercent, { service: withMinimum(0) }, { minimum: 50 })),
    ).toHaveLength(1);
  });

  it('Compliance: at the threshold, or ECS\u2019s default (100) when unset', () => {
    // Assess
    expect(
      verdict(checkRule(minimumHealthyPercent, { service: withMinimum(50) }, { minimum: 50 })),
    ).toBe('compliant');
    expect(verdict(checkRule(minimumHealthyPercent, { service: withMinimum(undefined) }))).toBe(
      'compliant',
    );
  });

  it('Not applicable: daemon services, or no service', () => {
    // Assess
    expect(
      checkRule(minimumHealthyPercent, {
        service: compliantService({
          schedulingStrategy: 'DAEMON',
          deploymentConfiguration: { minimumHealthyPercent: 0 },
        }),
      }),
    ).toBe('not-applicable');
    expect(checkRule(minimumHealthyPercent, {})).toBe('not-applicable');
  });
});
