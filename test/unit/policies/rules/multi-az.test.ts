import { describe, expect, it } from 'vitest';
import { multiAz } from '#policies/rules/multi-az.ts';
import { checkRule, compliantService, verdict } from '#support/task-definitions.ts';

const subnets = (...ids: string[]) =>
  compliantService({ networkConfiguration: { awsvpcConfiguration: { subnets: ids } } });

describe('Rule: multi-az', () => {
  it('Noncompliance: one subnet', () => {
    // Act
    const outcome = checkRule(multiAz, { service: subnets('subnet-1') });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message:
          'service prod/web places its tasks in 1 subnet (at least 2 needed to span Availability Zones)',
        location: {
          target: 'service',
          path: ['networkConfiguration', 'awsvpcConfiguration', 'subnets'],
        },
      },
    ]);
  });

  it('Noncompliance: an EC2 bridge service without an AZ spread strategy', () => {
    // Prepare
    const service = compliantService({
      launchType: 'EC2',
      networkConfiguration: undefined,
      placementStrategy: [{ type: 'binpack', field: 'memory' }],
    });
    // Assess
    expect(verdict(checkRule(multiAz, { service }))).toHaveLength(1);
  });

  it('Compliance: two subnets, or a spread over attribute:ecs.availability-zone', () => {
    // Prepare
    const spread = compliantService({
      launchType: 'EC2',
      networkConfiguration: undefined,
      placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    });
    // Assess
    expect(verdict(checkRule(multiAz, { service: subnets('subnet-1', 'subnet-2') }))).toBe(
      'compliant',
    );
    expect(verdict(checkRule(multiAz, { service: spread }))).toBe('compliant');
  });

  it('Not applicable: daemon services, or no service', () => {
    // Assess
    expect(
      checkRule(multiAz, { service: compliantService({ schedulingStrategy: 'DAEMON' }) }),
    ).toBe('not-applicable');
    expect(checkRule(multiAz, { taskDefinition: {} })).toBe('not-applicable');
  });
});
