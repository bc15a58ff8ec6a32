import type { HarbormasterEvent } from '#kernel/events/parse.ts';

/**
 * A short label for a recorded event, for people reading a replay: the detail type and what it is
 * about ("ECS Task State Change STOPPED prod/web task <id> (health-check-failed)"). Text
 * from the event is only ever printed, never interpreted.
 */
const eventLabel = (event: HarbormasterEvent): string => {
  const type = event.meta.detailType;
  switch (event.kind) {
    case 'task-state-change': {
      const t = event.task;
      const where = t.service ? `${t.cluster}/${t.service}` : t.cluster;
      const stop = t.lastStatus === 'STOPPED' && t.stop ? ` (${t.stop.kind})` : '';
      return `${type} ${t.lastStatus} ${where} task ${t.taskId}${stop}`;
    }
    case 'deployment-state-change': {
      const { eventName, deploymentId } = event.raw.detail;
      return `${type} ${eventName} ${event.subject.cluster}/${event.subject.service} ${deploymentId}`;
    }
    case 'service-action':
      return `${type} ${event.raw.detail.eventName} ${event.subject.cluster}/${event.subject.service}`;
    case 'alarm-state-change':
      return `${type} ${event.raw.detail.alarmName} ${event.raw.detail.state.value}`;
    case 'api-call':
      return `${type} ${event.raw.detail.eventName}`;
    case 'scheduled':
      return `${type} ${event.meta.time?.toISOString() ?? ''}`.trim();
    case 'container-instance-state-change':
      return type;
    case 'lifecycle-hook': {
      const { cluster, service, id } = event.deployment;
      return `${type} ${event.raw.lifecycleStage} ${cluster}/${service} deployment ${id}`;
    }
    case 'hook-state-change': {
      const { cluster, service, id } = event.deployment;
      return `${type} ${event.raw.detail.eventName} ${event.raw.detail.lifecycleStage} ${cluster}/${service} deployment ${id}`;
    }
  }
};

/** The service an event is about ("prod/web"), when it names one. */
const eventService = (event: HarbormasterEvent): string | undefined => {
  if (event.kind === 'task-state-change')
    return event.task.service ? `${event.task.cluster}/${event.task.service}` : undefined;
  if (event.kind === 'deployment-state-change' || event.kind === 'service-action')
    return `${event.subject.cluster}/${event.subject.service}`;
  if (event.kind === 'lifecycle-hook' || event.kind === 'hook-state-change')
    return `${event.deployment.cluster}/${event.deployment.service}`;
  return undefined;
};

export { eventLabel, eventService };
