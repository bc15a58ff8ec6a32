import { describe, expect, it } from 'vitest';
import { noPublicIp } from '#policies/rules/no-public-ip.ts';
import { checkRule, compliantService, verdict } from '#support/task-definitions.ts';

const network = (assignPublicIp: 'ENABLED' | 'DISABLED' | undefined) => ({
  awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp },
});

describe('Rule: no-public-ip (CT.ECS.PR.9)', () => {
  it('Noncompliance: a service that assigns public IPs', () => {
    // Act
    const outcome = checkRule(noPublicIp, {
      service: compliantService({ networkConfiguration: network('ENABLED') }),
    });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message: 'the service assigns public IP addresses to its tasks (assignPublicIp ENABLED)',
        location: {
          target: 'service',
          path: ['networkConfiguration', 'awsvpcConfiguration', 'assignPublicIp'],
        },
      },
    ]);
  });

  it('Noncompliance: RunTask with a public IP', () => {
    // Assess
    expect(
      verdict(checkRule(noPublicIp, { run: { networkConfiguration: network('ENABLED') } })),
    ).toStrictEqual(['RunTask assigns public IP addresses to its tasks (assignPublicIp ENABLED)']);
  });

  it.each([['DISABLED'], [undefined]] as const)('Compliance: assignPublicIp %s', (value) => {
    // Assess
    expect(
      verdict(
        checkRule(noPublicIp, {
          service: compliantService({ networkConfiguration: network(value) }),
        }),
      ),
    ).toBe('compliant');
  });

  it('Not applicable: no awsvpc configuration, or only a task definition', () => {
    // Assess
    expect(
      checkRule(noPublicIp, { service: compliantService({ networkConfiguration: undefined }) }),
    ).toBe('not-applicable');
    expect(checkRule(noPublicIp, { taskDefinition: {} })).toBe('not-applicable');
  });
});
