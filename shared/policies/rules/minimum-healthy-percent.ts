import * as v from 'valibot';
import { int } from '#kernel/events/schema-helpers.ts';
import { defineRule } from '../types.ts';
import { isDaemon, serviceKey, serviceViolation, usesEcsController } from './service-checks.ts';

// ECS's default for replica services.
const ECS_DEFAULT_MINIMUM_HEALTHY_PERCENT = 100;

/** Deployments keep at least a threshold of the desired tasks healthy. */
const minimumHealthyPercent = defineRule({
  id: 'minimum-healthy-percent',
  title: 'Deployments keep a minimum share of tasks healthy',
  rationale:
    'A low minimumHealthyPercent lets a deployment stop most running tasks before new ones are healthy: a bad release, or a slow start, becomes an outage.',
  fix: 'Raise deploymentConfiguration.minimumHealthyPercent to the threshold (and maximumPercent so the deployment can still start new tasks first).',
  appliesTo: "replica services whose deployments ECS's rolling-update controller runs",
  severity: 'warning',
  controls: [],
  targets: ['service'],
  options: () => ({
    /** The lowest acceptable minimumHealthyPercent. */
    minimum: v.optional(int(0, 100), 100),
  }),
  check: ({ service }, { minimum }) => {
    if (!service || isDaemon(service) || !usesEcsController(service)) return 'not-applicable';
    const configured = service.deploymentConfiguration?.minimumHealthyPercent;
    const value = typeof configured === 'number' ? configured : ECS_DEFAULT_MINIMUM_HEALTHY_PERCENT;
    if (value >= minimum) return 'compliant';
    return [
      serviceViolation(
        `service ${serviceKey(service)} may drop to ${value}% healthy tasks during a deployment (minimum ${minimum}%)`,
        ['deploymentConfiguration', 'minimumHealthyPercent'],
      ),
    ];
  },
});

export { minimumHealthyPercent };
