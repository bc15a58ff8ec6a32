import type {
  JobRun,
  LaunchRecord,
  LaunchSpec,
  RunStatus,
  TaskOutcome,
  Watermark,
} from '#batch/records.ts';
import type { DeploymentWatch, RollbackRecord } from '#guard/records.ts';
import type { Alert, PolicyCheckpoint, ReportedFinding } from './alert.ts';

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

/** One policy's failing findings on one resource, for the report. */
interface ReportedPolicy {
  policy: string;
  mode: 'audit' | 'notify' | 'enforce';
  findings: ReportedFinding[];
}

/** Log a resource's policy findings (every mode, audit included) and count them as metrics. */
interface ReportFindingsAction {
  type: 'report-findings';
  checkpoint: PolicyCheckpoint;
  resource: string;
  policies: ReportedPolicy[];
}

/** Tag a task definition revision (e.g. as non-compliant, naming the rules it breaks). */
interface TagTaskDefinitionAction {
  type: 'tag-task-definition';
  taskDefinitionArn: string;
  tags: Record<string, string>;
}

/** Deregister a task definition revision, so that no new task or service can use it. */
interface DeregisterTaskDefinitionAction {
  type: 'deregister-task-definition';
  taskDefinitionArn: string;
  reason: string;
}

/**
 * Roll a service back to a task definition with UpdateService, while it still runs the one rolled
 * back. The record is claimed first with a conditional write, so that two invocations seeing the
 * same failure roll back once. The deployment guard and enforce-mode service policies use it.
 */
interface RollbackServiceAction {
  type: 'rollback-service';
  cluster: string;
  service: string;
  /** The target: the task definition of the last deployment that completed. */
  taskDefinition: string;
  record: RollbackRecord;
}

/** Start watching a deployment for its deadline, alarms and bake time (safe to repeat). */
interface WatchDeploymentAction {
  type: 'watch-deployment';
  watch: DeploymentWatch;
  /** ISO-8601 time at which the deadline (or, later, the end of the bake time) falls due. */
  dueAt: string;
}

/** Rewrite a watch: the deployment completed and its bake time runs until `dueAt`. */
interface UpdateWatchAction {
  type: 'update-watch';
  watch: DeploymentWatch;
  dueAt: string;
}

/** Stop watching a deployment (completed and baked, replaced, rolled back, or gone). */
interface EndWatchAction {
  type: 'end-watch';
  watch: DeploymentWatch;
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
  | ReportFindingsAction
  | TagTaskDefinitionAction
  | DeregisterTaskDefinitionAction
  | RollbackServiceAction
  | WatchDeploymentAction
  | UpdateWatchAction
  | EndWatchAction
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
  DeregisterTaskDefinitionAction,
  EndWatchAction,
  FinishJobRunAction,
  LaunchJobTasksAction,
  NotifyAction,
  ParkDeadLetterAction,
  PlannedLaunch,
  RecordJobLaunchAction,
  RecordTaskOutcomeAction,
  ReportedPolicy,
  ReportFindingsAction,
  RollbackServiceAction,
  StartJobRunAction,
  StopTaskAction,
  TagTaskDefinitionAction,
  UpdateWatchAction,
  WatchDeploymentAction,
};
