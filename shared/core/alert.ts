/**
 * Alerts are data: what happened, to what, how severe, and how to deduplicate and thread it.
 * Decisions return them; shared/alerts renders them for people (email, chat, Slack).
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
}

/** An ECS Service Action event (WARN or ERROR) such as SERVICE_TASK_PLACEMENT_FAILURE. */
interface ServiceEventAlert extends AlertBase {
  kind: 'service-event';
  eventName: string;
  eventType: 'INFO' | 'WARN' | 'ERROR';
  reason: string | undefined;
  capacityProviders: string[];
  containerInstances: string[];
  tasks: string[];
}

/** A step of a service deployment as ECS reports it. */
interface DeploymentEventAlert extends AlertBase {
  kind: 'deployment-event';
  phase: 'started' | 'rollback-started' | 'completed' | 'failed';
  deploymentId: string;
  reason: string | undefined;
  taskDefinition: string | undefined;
  previousTaskDefinition: string | undefined;
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

/** An invocation that failed every attempt and was parked in the dead-letter queue. */
interface DeadLetterAlert extends AlertBase {
  kind: 'dead-letter';
  functionName: string;
  errorType: string;
  errorMessage: string;
  attempts: number;
  eventSummary: string;
  consequence: string;
}

/** Failures of a batch run's tasks, grouped by reason. */
interface BatchFailureGroup {
  /** "app exited 3", "CannotPullContainerError: ...", "not placed: RESOURCE:FARGATE"... */
  reason: string;
  count: number;
}

/** What happened to a scheduled batch job run. */
interface BatchRunAlert extends AlertBase {
  kind: 'batch-run';
  /**
   * finished: every task is done (or the deadline passed); skipped: the previous run was still
   * active (Forbid); missed: the schedule's invocation never came or came too late; not-started:
   * the run could not start (missing cluster, task definition, network); unplaced: tasks could
   * not be placed within the start window.
   */
  event: 'finished' | 'skipped' | 'missed' | 'not-started' | 'unplaced';
  job: string;
  runKey: string;
  trigger: 'schedule' | 'manual';
  scheduledAt: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped' | 'missed' | 'replaced';
  reason: string | undefined;
  cluster: string;
  taskDefinition: string | undefined;
  tasks: { total: number; succeeded: number; failed: number; retries: number };
  failures: BatchFailureGroup[];
  /** Failures of attempts that were retried (whatever came of the retry). */
  retried: BatchFailureGroup[];
  durationSeconds: number | undefined;
  /** Task ARNs of failed tasks, for console links (a few). */
  failedTasks: string[];
  /** Scheduled times that never ran (missed). */
  missedTimes: string[];
}

/** Every alert Harbormaster sends, discriminated by `kind`. */
type Alert =
  | ServiceEventAlert
  | DeploymentEventAlert
  | HandlerErrorAlert
  | DeadLetterAlert
  | BatchRunAlert;
type AlertKind = Alert['kind'];

export {
  type Alert,
  type AlertBase,
  type AlertKind,
  type AlertSubject,
  atLeast,
  type BatchFailureGroup,
  type BatchRunAlert,
  type DeadLetterAlert,
  type Dedup,
  type DeploymentEventAlert,
  type HandlerErrorAlert,
  SEVERITIES,
  type ServiceEventAlert,
  type Severity,
};
