import type { Alert, AlertMessage, RenderedKind } from '#kernel/alerts/model.ts';
import { renderHandlerError } from './handler-error-alert.ts';

/** Alert kind -> its renderer, as a function's definition assembles them from its wings. */
type RendererTable = Readonly<Record<string, (alert: never) => RenderedKind>>;

const resourcesOf = (alert: Alert): string[] => {
  const s = alert.subject;
  return [s.taskArn, s.taskDefinition].filter((v): v is string => !!v && v.startsWith('arn:'));
};

/**
 * Renders an alert into the channel-independent message every channel formats, with the renderer
 * of its kind. Failures of the function itself (handler-error) are known to every table.
 */
const renderAlert = (alert: Alert, renderers: RendererTable): AlertMessage => {
  const render = (alert.kind === 'handler-error' ? renderHandlerError : renderers[alert.kind]) as
    | ((a: Alert) => RenderedKind)
    | undefined;
  if (!render) throw new Error(`No renderer for alert kind "${alert.kind}" in this function`);
  const rendered = render(alert);
  const s = alert.subject;
  const attributes: Record<string, string> = { severity: alert.severity, kind: alert.kind };
  if (s.cluster) attributes.cluster = s.cluster;
  if (s.service) attributes.service = s.service;
  if (s.job) attributes.job = s.job;
  return {
    ...rendered,
    id: alert.dedup.key,
    severity: alert.severity,
    kind: alert.kind,
    threadId: alert.threadId,
    resources: resourcesOf(alert),
    attributes: { ...attributes, eventType: rendered.eventType },
  };
};

export { type RendererTable, renderAlert };
