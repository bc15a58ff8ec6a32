import { deploymentThreadId, serviceThreadId } from '../../shared/alerts/threads.ts';
import type { Config } from '../../shared/config/schema.ts';
import type { DeploymentEventAlert, Severity } from '../../shared/core/alert.ts';
import { act, type Decision, ignore } from '../../shared/core/decision.ts';
import type { ServiceState } from '../../shared/core/ecs-state.ts';
import type { EventOfKind } from '../../shared/events/parse.ts';

type ServiceAlertEvent = EventOfKind<'service-action' | 'deployment-state-change'>;

/** What the alert needs from ECS beyond the event: the service's deployments. */
interface ServiceAlertState {
  service: ServiceState | undefined;
}

// Deployment lifecycle events also arrive as ECS Service Action; they are alerted once, from the
// ECS Deployment State Change event that carries the deployment id.
const DEPLOYMENT_EVENT_NAMES = new Set([
  'SERVICE_DEPLOYMENT_IN_PROGRESS',
  'SERVICE_DEPLOYMENT_COMPLETED',
  'SERVICE_DEPLOYMENT_FAILED',
]);

const DEPLOYMENT_EVENTS_WINDOW_SECONDS = 24 * 60 * 60;

/** Why an event is not alerted, or undefined when it is; shared by load and decide. */
const skipReason = (event: ServiceAlertEvent, config: Config): string | undefined => {
  const { serviceEvents, deploymentEvents } = config.alerts;
  if (event.kind === 'deployment-state-change') {
    return deploymentEvents.enabled
      ? undefined
      : 'deployment alerts are disabled (alerts.deploymentEvents.enabled)';
  }
  const { eventName, eventType } = event.raw.detail;
  if (DEPLOYMENT_EVENT_NAMES.has(eventName)) {
    return `${eventName} is alerted from the ECS Deployment State Change event`;
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
  config: Config,
): Decision => {
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

const phaseOf = (
  eventName: string,
  reason: string | undefined,
): DeploymentEventAlert['phase'] | undefined => {
  if (eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS') {
    return reason && /rolling back/i.test(reason) ? 'rollback-started' : 'started';
  }
  if (eventName === 'SERVICE_DEPLOYMENT_COMPLETED') return 'completed';
  if (eventName === 'SERVICE_DEPLOYMENT_FAILED') return 'failed';
  return undefined;
};

const SEVERITY: Record<DeploymentEventAlert['phase'], Severity> = {
  started: 'info',
  'rollback-started': 'warning',
  completed: 'info',
  failed: 'error',
};

const decideDeployment = (
  event: EventOfKind<'deployment-state-change'>,
  state: ServiceAlertState,
): Decision => {
  const { detail } = event.raw;
  const phase = phaseOf(detail.eventName, detail.reason);
  if (!phase) return ignore(`${detail.eventName} is not a deployment event Harbormaster alerts on`);
  const { cluster, service } = event.subject;
  const deployments = state.service?.deployments ?? [];
  const deployment = deployments.find((d) => d.id === detail.deploymentId);
  const previous = deployments.find((d) => d.id !== detail.deploymentId && d.status === 'ACTIVE');
  return act(`deployment ${phase} is alerted`, [
    {
      type: 'notify',
      alert: {
        kind: 'deployment-event',
        severity: SEVERITY[phase],
        subject: {
          account: event.meta.account,
          region: event.meta.region,
          cluster,
          service,
          deploymentId: detail.deploymentId,
          taskDefinition: deployment?.taskDefinition,
        },
        occurredAt: new Date(detail.updatedAt).toISOString(),
        threadId: deploymentThreadId(cluster, service, detail.deploymentId),
        // updatedAt tells apart the second COMPLETED of a deployment that ECS rolled back to.
        dedup: {
          key: [
            'deployment-event',
            event.meta.account,
            event.meta.region,
            cluster,
            service,
            detail.deploymentId,
            phase,
            detail.updatedAt,
          ].join('|'),
          windowSeconds: DEPLOYMENT_EVENTS_WINDOW_SECONDS,
        },
        phase,
        deploymentId: detail.deploymentId,
        reason: detail.reason,
        taskDefinition: deployment?.taskDefinition,
        previousTaskDefinition: previous?.taskDefinition,
      },
    },
  ]);
};

/** Decides which alert, if any, an ECS service or deployment event deserves. Pure. */
const decideServiceAlert = (
  event: ServiceAlertEvent,
  state: ServiceAlertState,
  config: Config,
  _now: Date,
): Decision => {
  const skip = skipReason(event, config);
  if (skip) return ignore(skip);
  return event.kind === 'service-action'
    ? decideServiceAction(event, state, config)
    : decideDeployment(event, state);
};

export { decideServiceAlert, type ServiceAlertEvent, type ServiceAlertState, skipReason };
