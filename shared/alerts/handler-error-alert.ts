import type { HandlerErrorAlert } from '#kernel/alert.ts';
import { functionLogsLink } from './console-links.ts';
import { subjectFields } from './kinds-common.ts';
import type { RenderedKind } from './render.ts';

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
