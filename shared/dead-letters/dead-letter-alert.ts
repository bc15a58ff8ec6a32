import { functionLogsLink, queuesLink } from '#alerts/console-links.ts';
import { subjectFields } from '#alerts/kinds-common.ts';
import type { RenderedKind } from '#alerts/render.ts';
import type { DeadLetterAlert } from '#kernel/alert.ts';

/** Renders an invocation that exhausted its retries and was dead-lettered. */
const renderDeadLetter = (alert: DeadLetterAlert): RenderedKind => ({
  eventType: 'HARBORMASTER_DEAD_LETTER',
  title: `Harbormaster ${alert.functionName} failed after ${alert.attempts} attempts`,
  summary: alert.consequence,
  fields: [
    ...subjectFields(alert.subject),
    { label: 'Function', value: alert.functionName },
    { label: 'Event', value: alert.eventSummary },
  ],
  details: [`${alert.errorType}: ${alert.errorMessage}`],
  nextSteps: [
    'Read the function logs for the cause (throttling, an AWS outage, a Slack outage).',
    'Once it is fixed, redrive the record from the dead-letter queue to replay the event.',
  ],
  links: [
    functionLogsLink(alert.subject.region, alert.functionName),
    queuesLink(alert.subject.region),
  ],
});

export { renderDeadLetter };
