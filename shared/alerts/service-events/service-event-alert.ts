import type { ChatAction } from '#kernel/alerts/chat-actions.ts';
import { serviceLink, serviceTasksLink } from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, serviceName, subjectFields } from '#kernel/alerts/subject.ts';
import { explainPlacementReason, serviceEventGuide } from './catalog.ts';

/** An ECS Service Action event (WARN or ERROR) such as SERVICE_TASK_PLACEMENT_FAILURE. */
interface ServiceEventAlert extends AlertBase {
  kind: 'service-event';
  eventName: string;
  eventType: 'INFO' | 'WARN' | 'ERROR';
  reason: string | undefined;
  capacityProviders: string[];
  containerInstances: string[];
  tasks: string[];
}

/** Renders an ECS Service Action alert. */
const renderServiceEvent = (alert: ServiceEventAlert): RenderedKind => {
  const guide = serviceEventGuide(alert.eventName);
  const explained = alert.reason ? explainPlacementReason(alert.reason) : undefined;
  const reason = alert.reason ? ` (${alert.reason})` : '';
  const details = [guide.explanation];
  if (alert.reason) {
    details.push(`Reason from ECS: ${alert.reason}${explained ? ` \u2014 ${explained}` : ''}.`);
  }
  if (alert.capacityProviders.length > 0) {
    details.push(`Capacity providers: ${alert.capacityProviders.join(', ')}.`);
  }
  if (alert.containerInstances.length > 0) {
    details.push(`Container instances: ${alert.containerInstances.join(', ')}.`);
  }
  return {
    eventType: alert.eventName,
    title: `${serviceName(alert.subject)} ${guide.headline}${reason}`,
    summary: `ECS reported ${alert.eventName} (${alert.eventType}) for service ${serviceName(alert.subject)}.`,
    fields: [...subjectFields(alert.subject), { label: 'Event', value: alert.eventName }],
    details,
    nextSteps: guide.nextSteps,
    links: present([serviceLink(alert.subject), serviceTasksLink(alert.subject)]),
    actions: snoozable(alert),
  };
};

/** ECS repeats a service event while its cause lasts: chat offers to silence it for a while. */
const snoozable = (alert: ServiceEventAlert): ChatAction[] => {
  const { account, region, cluster, service } = alert.subject;
  if (!cluster || !service) return [];
  return [
    {
      kind: 'snooze',
      account,
      region,
      cluster,
      service,
      alert: `service-event|${alert.eventName}`,
      label: alert.eventName,
    },
  ];
};

export { renderServiceEvent, type ServiceEventAlert };
