import * as v from 'valibot';
import { int } from '#kernel/events/schema-helpers.ts';
import { isObject } from '../documents.ts';
import { defineRule } from '../types.ts';
import { isDaemon, serviceKey, serviceViolation } from './service-checks.ts';

const spreadsAcrossZones = (strategy: unknown): boolean =>
  Array.isArray(strategy) &&
  strategy.some(
    (item) =>
      isObject(item) &&
      item.type === 'spread' &&
      typeof item.field === 'string' &&
      item.field.toLowerCase() === 'attribute:ecs.availability-zone',
  );

/**
 * Tasks can spread over Availability Zones: awsvpc services list enough subnets (ECS spreads tasks
 * over the subnets' zones), others spread by `attribute:ecs.availability-zone`.
 */
const multiAz = defineRule({
  id: 'multi-az',
  title: 'Service tasks spread over at least two Availability Zones',
  rationale:
    'Tasks in one Availability Zone all go down with it; ECS spreads a service\u2019s tasks over the zones of its subnets, so a single subnet means a single zone.',
  fix: 'List subnets in at least two Availability Zones in awsvpcConfiguration.subnets (or, without awsvpc, add a spread placement strategy on attribute:ecs.availability-zone).',
  appliesTo: 'replica services',
  severity: 'warning',
  controls: [],
  targets: ['service'],
  options: () => ({
    /** Subnets needed; Harbormaster does not call EC2, so subnets stand in for zones. */
    minimumSubnets: v.optional(int(2, 16), 2),
  }),
  check: ({ service }, { minimumSubnets }) => {
    if (!service || isDaemon(service)) return 'not-applicable';
    const vpc = service.networkConfiguration?.awsvpcConfiguration;
    if (isObject(vpc)) {
      const subnets = Array.isArray(vpc.subnets) ? new Set(vpc.subnets).size : 0;
      if (subnets >= minimumSubnets) return 'compliant';
      return [
        serviceViolation(
          `service ${serviceKey(service)} places its tasks in ${subnets} subnet${subnets === 1 ? '' : 's'} (at least ${minimumSubnets} needed to span Availability Zones)`,
          ['networkConfiguration', 'awsvpcConfiguration', 'subnets'],
        ),
      ];
    }
    if (spreadsAcrossZones(service.placementStrategy)) return 'compliant';
    return [
      serviceViolation(
        `service ${serviceKey(service)} does not spread its tasks over Availability Zones`,
        ['placementStrategy'],
      ),
    ];
  },
});

export { multiAz };
