import { describe, expect, it } from 'vitest';
import { fargatePlatformLatest } from '#policies/rules/fargate-platform-latest.ts';
import { checkRule, compliantService, verdict } from '#support/task-definitions.ts';

describe('Rule: fargate-platform-latest (CT.ECS.PR.1)', () => {
  it('Noncompliance: a Fargate service pinned to 1.4.0', () => {
    // Act
    const outcome = checkRule(fargatePlatformLatest, {
      service: compliantService({ platformVersion: '1.4.0' }),
    });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message: 'the service pins Fargate platform version 1.4.0 instead of LATEST',
        location: { target: 'service', path: ['platformVersion'] },
      },
    ]);
  });

  it('Noncompliance: RunTask on Fargate Spot pinned to a version', () => {
    // Prepare
    const run = {
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      platformVersion: '1.3.0',
    };
    // Assess
    expect(verdict(checkRule(fargatePlatformLatest, { run }))).toHaveLength(1);
  });

  it('Compliance: LATEST, or no version (ECS uses LATEST)', () => {
    // Assess
    expect(verdict(checkRule(fargatePlatformLatest, { service: compliantService() }))).toBe(
      'compliant',
    );
    expect(
      verdict(
        checkRule(fargatePlatformLatest, {
          service: compliantService({ platformVersion: undefined }),
        }),
      ),
    ).toBe('compliant');
  });

  it('Not applicable: EC2 launches', () => {
    // Assess
    expect(
      checkRule(fargatePlatformLatest, {
        service: compliantService({ launchType: 'EC2', platformVersion: '1.4.0' }),
      }),
    ).toBe('not-applicable');
  });
});
