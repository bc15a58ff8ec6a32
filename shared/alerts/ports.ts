import type { AlertMessage, Severity } from '#kernel/alerts/model.ts';

/** How long a delivery may take: the invocation's remaining time, less what it keeps for the end. */
interface DeliveryBudget {
  remainingMs(): number;
}

/** A place alerts go (SNS topic, Slack webhook). */
interface AlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;
  send(message: AlertMessage, budget: DeliveryBudget): Promise<void>;
}

export type { AlertChannel, DeliveryBudget };
