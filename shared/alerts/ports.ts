import type { Alert, AlertMessage, Severity } from '#kernel/alerts/model.ts';
import type { OnceContext } from '#kernel/lease/run-once.ts';

/**
 * How long a delivery may take (the invocation's remaining time, less what it keeps for the end)
 * and, for a channel that posts under leases of its own (the Slack app: each reply, its parent),
 * the invocation and the kernel's leases.
 */
interface DeliveryBudget {
  remainingMs(): number;
  once?: OnceContext | undefined;
}

/** A place alerts go (SNS topic, Slack webhook, a channel of the Slack app). */
interface AlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;
  /**
   * Sending again cannot send twice (the Slack app records the alert in its thread under the
   * alert's key and posts under leases of its own): a retry after a holder died sends again
   * rather than leave the delivery uncertain.
   */
  readonly repeatable?: boolean;
  send(message: AlertMessage, budget: DeliveryBudget): Promise<void>;
}

/** Where each alert goes: its routes' destinations, each a channel (alerts.routes). */
interface AlertRouter {
  channelsFor(alert: Alert): Promise<AlertChannel[]>;
}

/** Silences people set from chat (Snooze): the one in force on an alert of a service. */
interface SnoozeReader {
  active(key: string, now: Date): Promise<{ until: string; by: string } | undefined>;
}

export type { AlertChannel, AlertRouter, DeliveryBudget, SnoozeReader };
