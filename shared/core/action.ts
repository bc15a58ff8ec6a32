import type { Alert } from './alert.ts';
import type {
  JobRun,
  LaunchRecord,
  LaunchSpec,
  RunStatus,
  TaskOutcome,
  Watermark,
} from './job-run.ts';

/** Send an alert to every configured channel whose minimum severity it meets. */
interface NotifyAction {
  type: 'notify';
  alert: Alert;
}

/** Keep a failed invocation's record in the dead-letter queue for inspection and redrive. */
interface ParkDeadLetterAction {
  type: 'park-dead-letter';
  functionName: string;
  record: unknown;
}

/** Stop a task; the reason becomes its stoppedReason, so it should name why (a rule, a deadline). */
interface StopTaskAction {
  type: 'stop-task';
  cluster: string;
  taskArn: string;
  reason: string;
}

/** Create a job run's record: running, or already final (skipped, missed, failed to start). */
interface StartJobRunAction {
  type: 'start-job-run';
  run: JobRun;
}

/** Move a running job run to its final status (a run that already finished is left as it is). */
interface FinishJobRunAction {
  type: 'finish-job-run';
  job: string;
  runKey: string;
  status: Exclude<RunStatus, 'running'>;
  finishedAt: string;
  reason?: string | undefined;
}

/** Remember how a task of a job run ended (ECS forgets stopped tasks after about an hour). */
interface RecordTaskOutcomeAction {
  type: 'record-task-outcome';
  job: string;
  runKey: string;
  outcome: TaskOutcome;
}

/** One planned RunTask call: which task slots, which attempt, and its idempotency token. */
interface PlannedLaunch {
  launchId: string;
  slots: number[];
  attempt: number;
  placementTry: number;
  clientToken: string;
}

/**
 * Launch tasks of a job run: one RunTask call per planned launch, paced under the RunTask limits,
 * each recorded with its result. Launches already recorded are skipped, so repeating it is safe.
 */
interface LaunchJobTasksAction {
  type: 'launch-job-tasks';
  job: string;
  runKey: string;
  startedBy: string;
  spec: LaunchSpec;
  launches: PlannedLaunch[];
  /** Wall time this invocation may spend launching; the rest is left to the next check. */
  budgetSeconds: number;
}

/** Record a launch that did not happen (slots given up when the start window closed). */
interface RecordJobLaunchAction {
  type: 'record-job-launch';
  job: string;
  runKey: string;
  launch: LaunchRecord;
}

/** Record how far a job's schedule has been checked for missed runs. */
interface AdvanceJobWatermarkAction {
  type: 'advance-job-watermark';
  job: string;
  watermark: Watermark;
}

/** Everything a decision can ask the executor to do, discriminated by `type`. */
type Action =
  | NotifyAction
  | ParkDeadLetterAction
  | StopTaskAction
  | StartJobRunAction
  | FinishJobRunAction
  | RecordTaskOutcomeAction
  | LaunchJobTasksAction
  | RecordJobLaunchAction
  | AdvanceJobWatermarkAction;
type ActionType = Action['type'];

export type {
  Action,
  ActionType,
  AdvanceJobWatermarkAction,
  FinishJobRunAction,
  LaunchJobTasksAction,
  NotifyAction,
  ParkDeadLetterAction,
  PlannedLaunch,
  RecordJobLaunchAction,
  RecordTaskOutcomeAction,
  StartJobRunAction,
  StopTaskAction,
};
