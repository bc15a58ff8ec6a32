import { alertsSection } from '#alerts/config.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';

import {
  type ServiceEventAction,
  serviceEventAlertRenderers,
} from '#alerts/service-events/actions.ts';
import {
  decideServiceAlert,
  type ServiceAlertEvent,
  type ServiceAlertState,
  screenServiceAlert,
} from '#alerts/service-events/decide.ts';
import { wireAlerts } from '#alerts/wire.ts';
import type { EcsPort } from '#aws/ecs/port.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { wireEcs } from '#aws/ecs/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { FunctionConfig, FunctionDefinition } from '#kernel/function-definition.ts';

const sections = { aws: awsSection, alerts: alertsSection };

/**
 * Alerts on ECS Service Action events (WARN and ERROR). The service's deployments are read to name
 * the deployment. Deployment lifecycle alerts come from the deployment guard.
 */
const serviceAlerts: FunctionDefinition<
  ServiceAlertEvent,
  ServiceAlertState,
  FunctionConfig<typeof sections>,
  AlertPorts & { ecs: EcsPort },
  ServiceEventAction
> = {
  name: 'service-alerts',
  reads: ['ecs:DescribeServices'],
  configSections: sections,
  runners: { notify: notifyRunner(serviceEventAlertRenderers) },
  parse: (raw) => parseEventOf(raw, ['service-action']),
  context: (event) => ({
    subject: {
      account: event.meta.account,
      region: event.meta.region,
      cluster: event.subject.cluster,
      service: event.subject.service,
    },
    eventId: event.meta.id,
    summary: `${event.meta.detailType} ${event.raw.detail.eventName} ${event.subject.cluster}/${event.subject.service}`,
    consequence: `The alert for ${event.raw.detail.eventName} on ${event.subject.cluster}/${event.subject.service} was not delivered.`,
  }),
  screen: screenServiceAlert,
  load: async (event, ports) => {
    try {
      return {
        service: await ports.ecs.describeService(event.subject.cluster, event.subject.service),
      };
    } catch (error) {
      // The alert matters more than its enrichment: without DescribeServices it still goes out.
      if (classifyFailure(error).retryable) throw error;
      return { service: undefined };
    }
  },
  decide: decideServiceAlert,
  wire: async (runtime) => ({
    ecs: wireEcs(runtime, [serviceReads]),
    ...(await wireAlerts(runtime)),
    leases: wireLeaseStore(runtime),
  }),
};

export { serviceAlerts };
