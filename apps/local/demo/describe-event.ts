import { shortTaskDefinition } from '#kernel/events/arn.ts';
import { parseEvent } from '#kernel/events/parse.ts';

/** One line saying what ECS (or CloudTrail, or CloudWatch) just did; undefined for noise. */
const describeEvent = (raw: unknown): string | undefined => {
  let event: ReturnType<typeof parseEvent>;
  try {
    event = parseEvent(raw);
  } catch {
    return undefined;
  }
  switch (event.kind) {
    case 'deployment-state-change': {
      const d = event.raw.detail;
      return `${event.subject.cluster}/${event.subject.service}: ${d.eventName.replace('SERVICE_DEPLOYMENT_', 'deployment ')} ${d.deploymentId}${d.reason ? ` \u2014 ${d.reason}` : ''}`;
    }
    case 'service-action': {
      const d = event.raw.detail;
      return `${event.subject.cluster}/${event.subject.service}: ${d.eventName} (${d.eventType})${d.reason ? ` ${d.reason}` : ''}`;
    }
    case 'task-state-change': {
      const t = event.task;
      const owner = t.service
        ? `${t.cluster}/${t.service}`
        : `${t.cluster} ${t.startedBy ?? t.family ?? ''}`.trim();
      const definition = t.taskDefinitionArn ? shortTaskDefinition(t.taskDefinitionArn) : '';
      if (t.lastStatus === 'STOPPED') {
        const exits = t.stop?.essentialExits
          .map((c) => `${c.name} exit ${c.exitCode ?? '-'}`)
          .join(', ');
        return `${owner}: task ${t.taskId.slice(0, 8)} (${definition}) STOPPED: ${t.stop?.kind ?? 'unknown'} \u2014 ${event.raw.detail.stoppedReason ?? ''}${exits ? ` [${exits}]` : ''}`;
      }
      return t.lastStatus === 'RUNNING'
        ? `${owner}: task ${t.taskId.slice(0, 8)} (${definition}) RUNNING`
        : undefined;
    }
    case 'api-call':
      return `CloudTrail: ${event.raw.detail.eventName} by ${String((event.raw.detail.userIdentity as { arn?: string } | undefined)?.arn ?? 'someone')}`;
    case 'alarm-state-change':
      return `CloudWatch alarm ${event.raw.detail.alarmName}: ${event.raw.detail.previousState?.value ?? '?'} \u2192 ${event.raw.detail.state.value}`;
    default:
      return undefined;
  }
};

export { describeEvent };
