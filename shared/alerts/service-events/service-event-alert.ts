import type { ServiceEventAlert } from '#kernel/alert.ts';
import { serviceLink, serviceTasksLink } from '../console-links.ts';
import { present, serviceName, subjectFields } from '../kinds-common.ts';
import type { RenderedKind } from '../render.ts';
import { explainPlacementReason, serviceEventGuide } from './catalog.ts';

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
  };
};

export { renderServiceEvent };
