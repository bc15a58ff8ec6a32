import { functionLogsLink, queuesLink } from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { subjectFields } from '#kernel/alerts/subject.ts';

/** An invocation that failed every attempt and was parked in the dead-letter queue. */
interface DeadLetterAlert extends AlertBase {
  kind: 'dead-letter';
  functionName: string;
  errorType: string;
  errorMessage: string;
  attempts: number;
  eventSummary: string;
  consequence: string;
}

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

export { type DeadLetterAlert, renderDeadLetter };
