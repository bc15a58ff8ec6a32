import { serviceReads } from '../../shared/aws/ecs/service-reads.ts';
import { alertsSection } from '../../shared/config/alerts.ts';
import { awsSection } from '../../shared/config/aws.ts';
import { classifyFailure } from '../../shared/core/failures.ts';
import { parseEventOf } from '../../shared/events/parse.ts';
import {
  wireAlertChannels,
  wireDedupStore,
  wireEcs,
} from '../../shared/runtime/composition-root.ts';
import type { FunctionDefinition } from '../../shared/runtime/function-definition.ts';
import {
  decideServiceAlert,
  type ServiceAlertEvent,
  type ServiceAlertState,
  skipReason,
} from './decide.ts';

/**
 * Alerts on ECS Service Action events (WARN and ERROR). The service's deployments are read to name
 * the deployment. Deployment lifecycle alerts come from the deployment guard.
 */
const serviceAlerts: FunctionDefinition<ServiceAlertEvent, ServiceAlertState> = {
  name: 'service-alerts',
  reads: ['ecs:DescribeServices'],
  emits: ['notify'],
  configSections: { aws: awsSection, alerts: alertsSection },
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
  load: async (event, ports, config) => {
    if (skipReason(event, config)) return { service: undefined };
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
    channels: await wireAlertChannels(runtime),
    dedup: wireDedupStore(runtime),
  }),
};

export { serviceAlerts };
