import type { ServiceState } from '#aws/ecs/state.ts';
import type { Severity } from '#kernel/alerts/model.ts';
import { deploymentThreadId, serviceThreadId } from '#kernel/alerts/threads.ts';
import { act, type Decision } from '#kernel/decision.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { AlertsConfig } from '../config.ts';
import type { ServiceEventAction } from './actions.ts';

type ServiceAlertEvent = EventOfKind<'service-action'>;

/** What the alert needs from ECS beyond the event: the service's deployments. */
interface ServiceAlertState {
  service: ServiceState | undefined;
}

// Deployment lifecycle events also arrive as ECS Service Action; the deployment guard alerts them
// once, from the ECS Deployment State Change event that carries the deployment id.
const DEPLOYMENT_EVENT_NAMES = new Set([
  'SERVICE_DEPLOYMENT_IN_PROGRESS',
  'SERVICE_DEPLOYMENT_COMPLETED',
  'SERVICE_DEPLOYMENT_FAILED',
]);

/** Why an event is not alerted, or undefined when it is (the pipeline asks before loading). */
const screenServiceAlert = (
  event: ServiceAlertEvent,
  config: { alerts: AlertsConfig },
): string | undefined => {
  const { serviceEvents } = config.alerts;
  const { eventName, eventType } = event.raw.detail;
  if (DEPLOYMENT_EVENT_NAMES.has(eventName)) {
    return `${eventName} is alerted by the deployment guard from the ECS Deployment State Change event`;
  }
  if (serviceEvents.ignore.includes(eventName))
    return `${eventName} is in alerts.serviceEvents.ignore`;
  if (!serviceEvents.eventTypes.includes(eventType)) {
    return `${eventType} events are not alerted (alerts.serviceEvents.eventTypes)`;
  }
  return undefined;
};

const primaryDeploymentId = (service: ServiceState | undefined): string | undefined =>
  service?.deployments.find((d) => d.status === 'PRIMARY')?.id;

const decideServiceAction = (
  event: EventOfKind<'service-action'>,
  state: ServiceAlertState,
  config: { alerts: AlertsConfig },
): Decision<ServiceEventAction> => {
  const { detail } = event.raw;
  const { cluster, service } = event.subject;
  const deploymentId = detail.deploymentId ?? primaryDeploymentId(state.service);
  const reason = detail.reason;
  const severity: Severity =
    detail.eventType === 'ERROR' ? 'error' : detail.eventType === 'WARN' ? 'warning' : 'info';
  return act(`${detail.eventName} is alerted`, [
    {
      type: 'notify',
      alert: {
        kind: 'service-event',
        severity,
        subject: {
          account: event.meta.account,
          region: event.meta.region,
          cluster,
          service,
          deploymentId,
        },
        occurredAt: (event.meta.time ?? new Date(0)).toISOString(),
        threadId: deploymentId
          ? deploymentThreadId(cluster, service, deploymentId)
          : serviceThreadId(cluster, service),
        dedup: {
          key: [
            'service-event',
            event.meta.account,
            event.meta.region,
            cluster,
            service,
            detail.eventName,
            reason ?? '',
          ].join('|'),
          windowSeconds: config.alerts.dedupWindowMinutes * 60,
        },
        eventName: detail.eventName,
        eventType: detail.eventType,
        reason,
        capacityProviders: detail.capacityProviderArns ?? [],
        containerInstances: detail.containerInstanceArns ?? [],
        tasks: detail.taskArns ?? [],
      },
    },
  ]);
};

/**
 * Decides which alert, if any, an ECS service event deserves. Pure. Deployment lifecycle alerts
 * are the deployment guard's (functions/deployment-guard), so each is sent once.
 */
const decideServiceAlert = (
  event: ServiceAlertEvent,
  state: ServiceAlertState,
  config: { alerts: AlertsConfig },
  _now: Date,
): Decision<ServiceEventAction> => {
  return decideServiceAction(event, state, config);
};

export { decideServiceAlert, type ServiceAlertEvent, type ServiceAlertState, screenServiceAlert };
