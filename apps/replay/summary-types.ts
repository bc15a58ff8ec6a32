import type { BreakerVerdict } from './circuit-breaker.ts';

/** The first thing Harbormaster did about a failing deployment. */
interface FirstAction {
  kind: 'rolled-back' | 'would-roll-back' | 'cannot-roll-back';
  at: string;
  trigger: string | undefined;
  /** Failed tasks of the deployment played before (and with) the event that led to it. */
  failedTasksBefore: number;
  reason: string;
  /** The reason is the alert's own. */
  told?: boolean;
}

/** Alerts as the channels would have received them, after deduplication. */
interface AlertCount {
  sent: number;
  /** Dropped as repeats of an alert already sent (a redelivered event, a periodic repeat). */
  duplicates: number;
}

interface DeploymentSummary {
  deploymentId: string;
  taskDefinition: string | undefined;
  desiredCount: number | undefined;
  startedAt: string | undefined;
  /** The last state ECS reported for it in the recording (IN_PROGRESS, COMPLETED, FAILED). */
  recorded: string | undefined;
  failedTasks: number;
  /** When each failed task stopped, in play order (for the report's chart). */
  failureTimes: string[];
  firstAction: FirstAction | undefined;
  alerts: AlertCount;
  breaker: BreakerVerdict;
}

interface ServiceSummary {
  service: string;
  deployments: DeploymentSummary[];
  /** Alerts about the service but no deployment (service events). */
  otherAlerts: AlertCount;
}

interface ReplaySummary {
  events: number;
  invalid: number;
  undecided: number;
  /** Recorded events that did not happen in the replayed world (after a replayed rollback). */
  diverged: number;
  sweeps: number;
  alerts: AlertCount;
  /** What the state files lack, once per message. */
  missingState: string[];
  /** Watches still open when the replay ended: what the guard would still decide (see --until). */
  stillWatched: { deployment: string; dueAt: string; what: string }[];
  services: ServiceSummary[];
}

export type { AlertCount, DeploymentSummary, FirstAction, ReplaySummary, ServiceSummary };
