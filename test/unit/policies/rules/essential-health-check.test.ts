import { describe, expect, it } from 'vitest';
import { essentialHealthCheck } from '#policies/rules/essential-health-check.ts';
import {
  checkRule,
  compliantContainer,
  compliantTaskDefinition,
  verdict,
  withContainer,
} from '#support/task-definitions.ts';

describe('Rule: essential-health-check', () => {
  it('Noncompliance: an essential container (essential by default) without a health check', () => {
    // Prepare
    const td = withContainer({ essential: undefined, healthCheck: undefined });
    // Assess
    expect(verdict(checkRule(essentialHealthCheck, { taskDefinition: td }))).toStrictEqual([
      'essential container app has no health check',
    ]);
  });

  it('Noncompliance: an empty health check command', () => {
    // Prepare
    const td = withContainer({ healthCheck: { command: [] } });
    // Assess
    expect(verdict(checkRule(essentialHealthCheck, { taskDefinition: td }))).toHaveLength(1);
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
    expect(verdict(checkRule(essentialHealthCheck, { taskDefinition: td }))).toBe('compliant');
  });

  it('Not applicable: no task definition', () => {
    // Assess
    expect(checkRule(essentialHealthCheck, { run: {} })).toBe('not-applicable');
  });
});
