import { describe, expect, it } from 'vitest';
import { awsvpcNetworkMode } from '#policies/rules/awsvpc-network-mode.ts';
import { checkRule, compliantTaskDefinition, verdict } from '#support/task-definitions.ts';

describe('Rule: awsvpc-network-mode (CT.ECS.PR.4)', () => {
  it.each([
    ['bridge', 'the task uses the bridge network mode'],
    ['host', 'the task uses the host network mode'],
    [undefined, 'the task sets no network mode (ECS uses bridge)'],
  ])('Noncompliance: networkMode %s', (networkMode, message) => {
    // Prepare
    const td = compliantTaskDefinition({
      networkMode: networkMode as 'bridge',
      requiresCompatibilities: ['EC2'],
    });
    // Assess
    expect(verdict(checkRule(awsvpcNetworkMode, { taskDefinition: td }))).toStrictEqual([message]);
  });

  it('Compliance: awsvpc', () => {
    // Assess
    expect(
      verdict(checkRule(awsvpcNetworkMode, { taskDefinition: compliantTaskDefinition() })),
    ).toBe('compliant');
  });

  it('Not applicable: a task definition only for ECS Anywhere (EXTERNAL)', () => {
    // Prepare
    const td = compliantTaskDefinition({
      networkMode: 'bridge',
      requiresCompatibilities: ['EXTERNAL'],
    });
    // Assess
    expect(checkRule(awsvpcNetworkMode, { taskDefinition: td })).toBe('not-applicable');
  });
});
