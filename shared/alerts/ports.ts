import type { Alert, AlertMessage, Severity } from '#kernel/alerts/model.ts';

/** A place alerts go (SNS topic, Slack webhook). */
interface AlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;
  send(message: AlertMessage): Promise<void>;
}

/** Remembers deduplication keys for a while; a claim succeeds once per key per window. */
interface DedupStore {
  /** True if this call claimed the key; false if a live claim already holds it. */
  claim(key: string, now: Date, windowSeconds: number): Promise<boolean>;
  /** Gives a claim back, so that a retry after a failed delivery can send again. */
  release(key: string): Promise<void>;
}

/** Where each alert goes: its routes' destinations, each a channel (alerts.routes). */
interface AlertRouter {
  channelsFor(alert: Alert): Promise<AlertChannel[]>;
}

/** Silences people set from chat (Snooze): the one in force on an alert of a service. */
interface SnoozeReader {
  active(key: string, now: Date): Promise<{ until: string; by: string } | undefined>;
}

export type { AlertChannel, AlertRouter, DedupStore, SnoozeReader };
