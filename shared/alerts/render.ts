import { renderBatchRun } from '#batch/alert-render.ts';
import { renderDeadLetter } from '#dead-letters/dead-letter-alert.ts';
import { renderDeploymentGuard } from '#guard/alert-render.ts';
import type { Alert, AlertKind } from '#kernel/alert.ts';
import type { AlertMessage } from '#kernel/ports.ts';
import { renderPolicyViolation } from '#policies/alert-render.ts';
import { renderHandlerError } from './handler-error-alert.ts';
import { renderDeploymentEvent } from './service-events/deployment-event-alert.ts';
import { renderServiceEvent } from './service-events/service-event-alert.ts';

/** The kind-specific part of a message; render() adds what every message shares. */
type RenderedKind = Pick<
  AlertMessage,
  'eventType' | 'title' | 'summary' | 'fields' | 'details' | 'nextSteps' | 'links'
>;

type Renderers = { [K in AlertKind]: (alert: Extract<Alert, { kind: K }>) => RenderedKind };

const RENDERERS: Renderers = {
  'service-event': renderServiceEvent,
  'deployment-event': renderDeploymentEvent,
  'batch-run': renderBatchRun,
  'deployment-guard': renderDeploymentGuard,
  'handler-error': renderHandlerError,
  'dead-letter': renderDeadLetter,
  'policy-violation': renderPolicyViolation,
};

const resourcesOf = (alert: Alert): string[] => {
  const s = alert.subject;
  return [s.taskArn, s.taskDefinition].filter((v): v is string => !!v && v.startsWith('arn:'));
};

/** Renders an alert into the channel-independent message every channel formats. */
const renderAlert = (alert: Alert): AlertMessage => {
  const render = RENDERERS[alert.kind] as (a: Alert) => RenderedKind;
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

export { type RenderedKind, renderAlert };
