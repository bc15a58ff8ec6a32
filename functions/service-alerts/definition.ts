import { alertsSection } from '#alerts/config.ts';
import {
  decideServiceAlert,
  type ServiceAlertEvent,
  type ServiceAlertState,
  skipReason,
} from '#alerts/service-events/decide.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { wireAlertChannels, wireDedupStore, wireEcs } from '#kernel/composition-root.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { FunctionDefinition } from '#kernel/function-definition.ts';

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
