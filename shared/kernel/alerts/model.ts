import type { ChatAction } from './chat-actions.ts';

/**
 * Alerts are data: what happened, to what, how severe, and how to deduplicate and thread it.
 * Decisions return them; each wing defines its own kinds and how to render them, and the alerts
 * wing formats the rendered message for each channel (email, chat, Slack).
 */

const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];

/** True when `severity` is at least as severe as `minimum`. */
const atLeast = (severity: Severity, minimum: Severity): boolean =>
  SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum);

/** What an alert is about. Every alert names its account and region; the rest when known. */
interface AlertSubject {
  account: string;
  region: string;
  cluster?: string | undefined;
  service?: string | undefined;
  deploymentId?: string | undefined;
  taskArn?: string | undefined;
  taskDefinition?: string | undefined;
  job?: string | undefined;
}

/** A deterministic key: the same occurrence always yields the same key, so repeats are dropped. */
interface Dedup {
  key: string;
  windowSeconds: number;
}

interface AlertBase {
  severity: Severity;
  subject: AlertSubject;
  /** ISO-8601 time of the underlying occurrence. */
  occurredAt: string;
  /** Groups related alerts in one chat thread (one per service deployment, job run...). */
  threadId: string;
  dedup: Dedup;
  /** Only these channels (by name: sns, slack) receive the alert; every channel when absent. */
  channels?: readonly string[] | undefined;
  /**
   * A step of a story told in a thread edited in place (a batch run's failed task): only the Slack
   * app's channels receive it; elsewhere the story's own alerts (the run's summary) tell it.
   */
  threadOnly?: boolean | undefined;
}

/** Any alert: the shared fields and a kind, which names the renderer that turns it into words. */
interface Alert extends AlertBase {
  kind: string;
}

/** A failure retrying cannot fix (a missing permission or resource), reported once. */
interface HandlerErrorAlert extends AlertBase {
  kind: 'handler-error';
  functionName: string;
  errorName: string;
  errorMessage: string;
  /** The permission or resource that is missing, when the error names it. */
  missing: string | undefined;
  consequence: string;
}

/** Send an alert to every configured channel whose minimum severity it meets. */
interface NotifyAction<A extends Alert = Alert> {
  type: 'notify';
  alert: A;
}

/** A rendered alert, ready for a channel. */
interface AlertMessage {
  /** The alert's deduplication key: stable across redeliveries of the same occurrence. */
  id: string;
  severity: Severity;
  kind: string;
  eventType: string;
  title: string;
  summary: string;
  fields: { label: string; value: string }[];
  details: string[];
  nextSteps: string[];
  links: { label: string; url: string }[];
  threadId: string;
  resources: string[];
  attributes: Record<string, string>;
  /** ISO-8601 time of the occurrence: a chat thread's status shows the latest one. */
  occurredAt: string;
  /**
   * The alert's deduplication window: the same `id` again within it is the same occurrence (a
   * decision made again carries another `occurredAt`), after it a repeat.
   */
  windowSeconds?: number | undefined;
  /** The one-click actions a chat message of this alert offers (none on other channels). */
  actions: ChatAction[];
}

/** The kind-specific part of a message; the alerts wing adds what every message shares. */
type RenderedKind = Pick<
  AlertMessage,
  'eventType' | 'title' | 'summary' | 'fields' | 'details' | 'nextSteps' | 'links'
> & { actions?: ChatAction[] };

/** How each kind of an alert union is put into words. */
type AlertRenderers<A extends Alert> = {
  [K in A['kind']]: (alert: Extract<A, { kind: K }>) => RenderedKind;
};

export {
  type Alert,
  type AlertBase,
  type AlertMessage,
  type AlertRenderers,
  type AlertSubject,
  atLeast,
  type Dedup,
  type HandlerErrorAlert,
  type NotifyAction,
  type RenderedKind,
  SEVERITIES,
  type Severity,
};
