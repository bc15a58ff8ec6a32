import { describe, expect, it } from 'vitest';
import { essentialHealthCheck } from '#policies/rules/essential-health-check.ts';
import {
  checkRule,
  compliantContainer,
  compliantService,
  compliantTaskDefinition,
  notApplicableReason,
  verdict,
  withContainer,
} from '#support/task-definitions.ts';

describe('Rule: essential-health-check', () => {
  it('Noncompliance: an essential container (essential by default) of a service without a health check', () => {
    // Prepare
    const td = withContainer({ essential: undefined, healthCheck: undefined });
    // Assess
    expect(
      verdict(checkRule(essentialHealthCheck, { taskDefinition: td, service: compliantService() })),
    ).toStrictEqual(['essential container app has no health check']);
  });

  it('Noncompliance: an empty health check command, in a task definition deployed as a service', () => {
    // Prepare
    const td = withContainer({ healthCheck: { command: [] } });
    // Assess
    expect(
      verdict(checkRule(essentialHealthCheck, { taskDefinition: td, deployedAs: 'service' })),
    ).toHaveLength(1);
  });

  it('Compliance: non-essential sidecars may go without one', () => {
    // Prepare
    const td = compliantTaskDefinition({
      containerDefinitions: [
        compliantContainer(),
        compliantContainer({ name: 'log-router', essential: false, healthCheck: undefined }),
      ],
    });
    // Assess
    expect(
      verdict(checkRule(essentialHealthCheck, { taskDefinition: td, deployedAs: 'service' })),
    ).toBe('compliant');
  });

  it.each([
    ['batch-job', 'a batch job'],
    ['task', 'a standalone task'],
  ] as const)(
    'Not applicable: a task that runs to completion (%s) says why',
    (deployedAs, what) => {
      // Prepare
      const td = withContainer({ healthCheck: undefined });
      // Assess
      expect(
        notApplicableReason(checkRule(essentialHealthCheck, { taskDefinition: td, deployedAs })),
      ).toContain(what);
    },
  );

  it('Not applicable: a task definition not known to run as a service', () => {
    // Prepare
    const td = withContainer({ healthCheck: undefined });
    // Assess
    expect(notApplicableReason(checkRule(essentialHealthCheck, { taskDefinition: td }))).toContain(
      'not known to run as a service',
    );
  });
});
