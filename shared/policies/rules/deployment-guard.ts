import * as v from 'valibot';
import { matchesAnyGlob } from '../glob.ts';
import { defineRule } from '../types.ts';
import { serviceKey, serviceViolation, usesEcsController } from './service-checks.ts';

/** Deployments are guarded: ECS's circuit breaker or alarms, or Harbormaster's deployment guard. */
const deploymentGuard = defineRule({
  id: 'deployment-guard',
  title: 'Service deployments are guarded by a circuit breaker, alarms or Harbormaster',
  rationale:
    'Without a guard a deployment whose tasks never become healthy keeps retrying forever and never rolls back; CI reports success once ECS accepts the update.',
  fix: 'Enable deploymentConfiguration.deploymentCircuitBreaker (with rollback) or deployment alarms (with rollback), or leave the service under Harbormaster\u2019s deployment guard (not turned off by configuration or its harbormaster:guard tag).',
  appliesTo: "services whose deployments ECS's rolling-update controller runs",
  severity: 'error',
  controls: [],
  targets: ['service'],
  options: () => ({
    /** Require the guard to roll back, not only to stop the deployment. */
    requireRollback: v.optional(v.boolean(), true),
    /**
     * "cluster/service" globs that Harbormaster's deployment guard protects, for `harbormaster
     * check` in CI; the deployed enforcer reads the guard's own settings for the service.
     */
    guardedServices: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
  }),
  check: ({ service, harbormasterGuard }, { requireRollback, guardedServices }) => {
    // CODE_DEPLOY and EXTERNAL deployments roll back through their own controller.
    if (!service || !usesEcsController(service)) return 'not-applicable';
    const config = service.deploymentConfiguration;
    const breaker = config?.deploymentCircuitBreaker;
    const alarms = config?.alarms;
    const guards = (guard: { enable?: boolean; rollback?: boolean } | undefined): boolean =>
      guard?.enable === true && (!requireRollback || guard.rollback === true);
    if (guards(breaker) || (guards(alarms) && (alarms?.alarmNames?.length ?? 0) > 0)) {
      return 'compliant';
    }
    if (harbormasterGuard === 'rollback' || (!requireRollback && harbormasterGuard === 'notify'))
      return 'compliant';
    if (matchesAnyGlob(serviceKey(service), guardedServices)) return 'compliant';
    const what = [
      breaker?.enable === true || alarms?.enable === true
        ? 'its circuit breaker or alarms do not roll back'
        : 'neither the circuit breaker nor deployment alarms are enabled',
      ...(harbormasterGuard ? [`Harbormaster's guard is set to ${harbormasterGuard}`] : []),
    ].join(', and ');
    return [
      serviceViolation(`service ${serviceKey(service)} deploys unguarded: ${what}`, [
        'deploymentConfiguration',
        'deploymentCircuitBreaker',
      ]),
    ];
  },
});

export { deploymentGuard };
