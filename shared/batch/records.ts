import type { LaunchSpec } from '#aws/ecs/port.ts';

/**
 * A batch job run as Harbormaster remembers it. ECS tells what its tasks are doing while it knows
 * them; these records keep what ECS does not: that the run exists (so a redelivered invocation
 * does not start it twice), its launch parameters, which RunTask call placed which task or failed
 * to place it (failures[] leave no trace in ECS), and each task's outcome (stopped tasks vanish
 * from ECS after about an hour).
 */

/** A finished run's status; `running` until then. */
type RunStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'missed' | 'replaced';

/** What started a run. */
type RunTrigger = 'schedule' | 'manual';

/** When a failed task is tried again. */
interface RetryPolicy {
  attempts: number;
  backoffSeconds: number;
  backoffMultiplier: number;
  maxBackoffSeconds: number;
  exitCodes?: number[] | undefined;
  startFailures: boolean;
  interruptions: boolean;
}

/** One run of a job: `job` + `runKey` (its scheduled time) identify it. */
interface JobRun {
  job: string;
  runKey: string;
  trigger: RunTrigger;
  /** The scheduled time, or when a manual run was asked for (ISO-8601). */
  scheduledAt: string;
  /** When the run record was created. */
  startedAt: string;
  status: RunStatus;
  /** RunTask's startedBy: every task of the run carries it (ListTasks filters on it). */
  startedBy: string;
  count: number;
  spec: LaunchSpec;
  /** The task definition's essential containers: all must exit 0 for a task to succeed. */
  essentialContainers: string[];
  retries: RetryPolicy;
  /** Until when tasks may still be launched (RunTask capacity failures are retried until then). */
  startWindowEndsAt: string;
  /** When tasks still running are stopped and the run fails. */
  deadlineAt: string;
  finishedAt?: string | undefined;
  /** Why the run ended as it did, when not simply by its tasks' outcomes. */
  reason?: string | undefined;
}

/** What one RunTask call did for a set of task slots. */
interface LaunchRecord {
  launchId: string;
  slots: number[];
  /** The slots' attempt number (1 = first try of the task, 2 = first retry...). */
  attempt: number;
  /** 0 for the first RunTask call of these slot attempts; counts retries after capacity failures. */
  placementTry: number;
  requestedAt: string;
  tasks: { slot: number; taskArn: string }[];
  failures: { slot: number; reason: string; detail?: string | undefined }[];
  /** RunTask refused the whole call for good (missing cluster, task definition, permission). */
  error?: { name: string; message: string } | undefined;
}

/** A container's exit as the stopped task reports it. */
interface ContainerExitRecord {
  container: string;
  exitCode?: number | undefined;
  reason?: string | undefined;
}

/** How a task of a run ended. */
interface TaskOutcome {
  taskArn: string;
  succeeded: boolean;
  /** The stopped-task classification (crashed, failed-to-start, spot-interruption...). */
  kind: string;
  /** False when the task never reached RUNNING (it never started). */
  started: boolean;
  essentialExits: ContainerExitRecord[];
  stopCode?: string | undefined;
  stoppedReason?: string | undefined;
  stoppedAt: string;
}

/** Everything recorded about a run besides its header. */
interface RunFacts {
  launches: LaunchRecord[];
  outcomes: TaskOutcome[];
}

/** How far a job's schedule has been checked for missed runs. */
interface Watermark {
  at: string;
  /** The schedule and time zone it was computed for; a change restarts the check from now. */
  schedule: string;
  timezone: string;
}

export type {
  ContainerExitRecord,
  JobRun,
  LaunchRecord,
  RetryPolicy,
  RunFacts,
  RunStatus,
  RunTrigger,
  TaskOutcome,
  Watermark,
};
