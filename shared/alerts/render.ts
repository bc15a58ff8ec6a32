import type { ChatAction } from '#kernel/alerts/chat-actions.ts';
import type { Alert, AlertMessage, RenderedKind } from '#kernel/alerts/model.ts';
import { redactSecrets } from '#kernel/secrets.ts';
import { clip, safeLine } from './formats/text.ts';
import { renderHandlerError } from './handler-error-alert.ts';

/** Alert kind -> its renderer, as a function's definition assembles them from its wings. */
type RendererTable = Readonly<Record<string, (alert: never) => RenderedKind>>;

/** The longest text a message keeps: channels clip further to their own limits. */
const MAX_TEXT = 4_096;

/**
 * Every text of a message as one safe line: no secret (an error message quoting the webhook), no
 * lone surrogate, no line break or bidirectional override from event text, bounded. Escaping for
 * each channel's markup is the formats' work.
 */
// Cut first to twice what is kept, so that a 256 KB field costs no more than a short one. A secret
// that starts inside the kept part ends inside the cut (secrets are far shorter than MAX_TEXT), so
// it is redacted whole before the final clip.
const line = (text: string): string =>
  clip(safeLine(redactSecrets(text.slice(0, 2 * MAX_TEXT))), MAX_TEXT);

const resourcesOf = (alert: Alert): string[] => {
  const s = alert.subject;
  return [s.taskArn, s.taskDefinition].filter((v): v is string => !!v && v.startsWith('arn:'));
};

// Map lookup: an alert kind is never read as a key of a plain object (no "constructor" renderer).
const rendererFor = (alert: Alert, renderers: RendererTable) => {
  if (alert.kind === 'handler-error') return renderHandlerError as (a: Alert) => RenderedKind;
  return Object.hasOwn(renderers, alert.kind)
    ? (renderers[alert.kind] as (a: Alert) => RenderedKind)
    : undefined;
};

const safeRendered = (rendered: RenderedKind): Omit<RenderedKind, 'actions'> => ({
  eventType: line(rendered.eventType),
  title: line(rendered.title),
  summary: line(rendered.summary),
  fields: rendered.fields.slice(0, 25).map((f) => ({ label: line(f.label), value: line(f.value) })),
  details: rendered.details.slice(0, 50).map(line),
  nextSteps: rendered.nextSteps.slice(0, 10).map(line),
  links: rendered.links.slice(0, 10).map((l) => ({ label: line(l.label), url: line(l.url) })),
});

/**
 * What a one-click action needs, as attributes: the Amazon Q Developer custom notification carries
 * them in metadata.additionalContext, where a custom action's variables read them (README, "Amazon
 * Q Developer custom actions"). At most one of each: the first action naming it.
 */
const actionAttributes = (actions: readonly ChatAction[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const action of actions) {
    if (action.kind === 'rollback') out.rollbackTo ??= line(action.taskDefinition);
    if (action.kind === 'rollback' || action.kind === 'approve' || action.kind === 'reject') {
      if (action.serviceDeploymentArn)
        out.serviceDeploymentArn ??= line(action.serviceDeploymentArn);
    }
    if (action.kind === 'approve' || action.kind === 'reject') out.hookId ??= line(action.hookId);
  }
  return out;
};

/**
 * Renders an alert into the channel-independent message every channel formats, with the renderer
 * of its kind. Failures of the function itself (handler-error) are known to every table.
 */
const renderAlert = (alert: Alert, renderers: RendererTable): AlertMessage => {
  const render = rendererFor(alert, renderers);
  if (!render) throw new Error(`No renderer for alert kind "${alert.kind}" in this function`);
  const kindPart = render(alert);
  const rendered = safeRendered(kindPart);
  const s = alert.subject;
  const attributes: Record<string, string> = { severity: alert.severity, kind: alert.kind };
  if (s.cluster) attributes.cluster = line(s.cluster);
  if (s.service) attributes.service = line(s.service);
  if (s.job) attributes.job = line(s.job);
  return {
    ...rendered,
    id: line(alert.dedup.key),
    severity: alert.severity,
    kind: alert.kind,
    threadId: line(alert.threadId),
    resources: resourcesOf(alert).slice(0, 10).map(line),
    attributes: {
      ...attributes,
      eventType: rendered.eventType,
      ...actionAttributes(kindPart.actions ?? []),
    },
    occurredAt: alert.occurredAt,
    windowSeconds: alert.dedup.windowSeconds,
    // Targets, not text: the chat wing checks them and escapes what it shows of them.
    actions: kindPart.actions ?? [],
  };
};

export { type RendererTable, renderAlert };
