import type { TriggerName } from '#guard/records.ts';

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

/** Where a policy was enforced: a registration, a service deployment, RunTask, a task starting. */
type PolicyCheckpoint = 'register' | 'deploy' | 'run-task' | 'task-start';

/** A finding as alerts and reports carry it: names and field paths, never the values found. */
interface ReportedFinding {
  rule: string;
  status: string;
  message: string;
  container?: string | undefined;
  /** e.g. containerDefinitions[0].image, in the document named by `target`. */
  path?: string | undefined;
  target?: string | undefined;
  note?: string | undefined;
}

/** A resource that fails a policy in notify or enforce mode. */
interface PolicyViolationAlert extends AlertBase {
  kind: 'policy-violation';
  policy: string;
  description: string | undefined;
  mode: 'audit' | 'notify' | 'enforce';
  checkpoint: PolicyCheckpoint;
  /** The resource in words: "task definition web:7", "service prod/web", "task 1a2b (web:7)". */
  resource: string;
  findings: ReportedFinding[];
  /** What Harbormaster does about it (enforce mode), in words; empty when it only alerts. */
  enforcement: string[];
  /** Exemption tags that were ignored, and anything else worth knowing. */
  notes: string[];
  /** How to comply, one line per failing rule. */
  fixes: string[];
}

/** A failed task as the deployment guard reports it: why it stopped and how its containers exited. */
interface FailedTaskSummary {
  taskArn: string;
  /** The classification (failed-to-start, crashed, health-check-failed, out-of-memory). */
  kind: string;
  stoppedReason: string | undefined;
  exits: { name: string; exitCode: number | undefined; reason: string | undefined }[];
}

/** What the deployment guard saw or did about one deployment. */
type GuardAlertEvent =
  | 'failing'
  | 'rolled-back'
  | 'would-roll-back'
  | 'cannot-roll-back'
  | 'alarm-already-in-alarm'
  | 'not-guarded'
  | 'rollback-completed';

/** An alert of the deployment guard, in the thread of the deployment it concerns. */
interface DeploymentGuardAlert extends AlertBase {
  kind: 'deployment-guard';
  event: GuardAlertEvent;
  deploymentId: string;
  taskDefinition: string | undefined;
  /** The task definition rolled back (or that would be rolled back) to. */
  targetTaskDefinition: string | undefined;
  trigger: TriggerName | undefined;
  /** The finding: what the trigger saw, or which rule stopped the rollback. */
  reason: string;
  nextSteps: string[];
  failures: FailedTaskSummary[];
  failureCount: number;
  threshold: number | undefined;
  /** Minutes since the deployment started. */
  minutes: number | undefined;
  alarms: string[];
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
  | DeploymentGuardAlert
  | HandlerErrorAlert
  | DeadLetterAlert
  | PolicyViolationAlert
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
  type DeploymentGuardAlert,
  type FailedTaskSummary,
  type GuardAlertEvent,
  type HandlerErrorAlert,
  type PolicyCheckpoint,
  type PolicyViolationAlert,
  type ReportedFinding,
  SEVERITIES,
  type ServiceEventAlert,
  type Severity,
};
