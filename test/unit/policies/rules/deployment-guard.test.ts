import { describe, expect, it } from 'vitest';
import { deploymentGuard } from '#policies/rules/deployment-guard.ts';
import { checkRule, compliantService, verdict } from '#support/task-definitions.ts';

describe('Rule: deployment-guard', () => {
  it('Noncompliance: neither breaker nor alarms', () => {
    // Prepare
    const service = compliantService({ deploymentConfiguration: { minimumHealthyPercent: 100 } });
    // Act
    const outcome = checkRule(deploymentGuard, { service });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message:
          'service prod/web deploys unguarded: neither the circuit breaker nor deployment alarms are enabled',
        location: {
          target: 'service',
          path: ['deploymentConfiguration', 'deploymentCircuitBreaker'],
        },
      },
    ]);
  });

  it('Noncompliance: a breaker that does not roll back, when rollback is required', () => {
    // Prepare
    const service = compliantService({
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    // Assess
    expect(verdict(checkRule(deploymentGuard, { service }))).toStrictEqual([
      'service prod/web deploys unguarded: its circuit breaker or alarms do not roll back',
    ]);
  });

  it('Compliance: the breaker with rollback, alarms with rollback, or Harbormaster\u2019s guard', () => {
    // Prepare
    const unguarded = compliantService({ deploymentConfiguration: {} });
    const alarms = compliantService({
      deploymentConfiguration: {
        alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
      },
    });
    // Assess
    expect(verdict(checkRule(deploymentGuard, { service: compliantService() }))).toBe('compliant');
    expect(verdict(checkRule(deploymentGuard, { service: alarms }))).toBe('compliant');
    expect(
      verdict(checkRule(deploymentGuard, { service: unguarded }, { guardedServices: ['prod/*'] })),
    ).toBe('compliant');
    expect(
      verdict(
        checkRule(
          deploymentGuard,
          {
            service: compliantService({
              deploymentConfiguration: {
                deploymentCircuitBreaker: { enable: true, rollback: false },
              },
            }),
          },
          { requireRollback: false },
        ),
      ),
    ).toBe('compliant');
  });

  it('Compliance: Harbormaster\u2019s guard rolls the service back (as the deployed enforcer reads it)', () => {
    // Prepare
    const unguarded = compliantService({ deploymentConfiguration: {} });
    // Assess
    expect(
      verdict(checkRule(deploymentGuard, { service: unguarded, harbormasterGuard: 'rollback' })),
    ).toBe('compliant');
    expect(
      verdict(
        checkRule(
          deploymentGuard,
          { service: unguarded, harbormasterGuard: 'notify' },
          { requireRollback: false },
        ),
      ),
    ).toBe('compliant');
  });

  it('Noncompliance: Harbormaster\u2019s guard only notifies, or is off, and ECS does not guard', () => {
    // Prepare
    const unguarded = compliantService({ deploymentConfiguration: {} });
    // Assess
    expect(
      verdict(checkRule(deploymentGuard, { service: unguarded, harbormasterGuard: 'notify' })),
    ).toStrictEqual([
      "service prod/web deploys unguarded: neither the circuit breaker nor deployment alarms are enabled, and Harbormaster's guard is set to notify",
    ]);
    expect(
      verdict(checkRule(deploymentGuard, { service: unguarded, harbormasterGuard: 'off' })),
    ).toStrictEqual([
      "service prod/web deploys unguarded: neither the circuit breaker nor deployment alarms are enabled, and Harbormaster's guard is set to off",
    ]);
  });

  it('Not applicable: CodeDeploy services, or no service', () => {
    // Assess
    expect(
      checkRule(deploymentGuard, {
        service: compliantService({
          deploymentController: { type: 'CODE_DEPLOY' },
          deploymentConfiguration: {},
        }),
      }),
    ).toBe('not-applicable');
    expect(checkRule(deploymentGuard, { taskDefinition: {} })).toBe('not-applicable');
  });
});
