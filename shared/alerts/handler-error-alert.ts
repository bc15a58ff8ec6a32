import { functionLogsLink } from '#kernel/alerts/console-links.ts';
import type { HandlerErrorAlert, RenderedKind } from '#kernel/alerts/model.ts';
import { subjectFields } from '#kernel/alerts/subject.ts';

/** Renders a permanent failure of a Harbormaster function (reported once, not retried). */
const renderHandlerError = (alert: HandlerErrorAlert): RenderedKind => ({
  eventType: `HARBORMASTER_${alert.errorName}`,
  title: `Harbormaster ${alert.functionName} cannot act: ${alert.missing ?? alert.errorName}`,
  summary: alert.consequence,
  fields: [...subjectFields(alert.subject), { label: 'Function', value: alert.functionName }],
  details: [`${alert.errorName}: ${alert.errorMessage}`],
  nextSteps: alert.missing
    ? [`Grant or create ${alert.missing}, then redeploy Harbormaster if its role changed.`]
    : ['Read the function logs for the full error.'],
  links: [functionLogsLink(alert.subject.region, alert.functionName)],
});

export { renderHandlerError };
