import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import type { RunnerTable } from '#kernel/runner.ts';
import { type BatchRunAlert, renderBatchRun } from '../batch-run-alert.ts';
import { type AdvanceJobWatermarkAction, advanceJobWatermark } from './advance-job-watermark.ts';
import { type FinishJobRunAction, finishJobRun } from './finish-job-run.ts';
import { type LaunchJobTasksAction, launchJobTasks } from './launch-job-tasks.ts';
import { type RecordJobLaunchAction, recordJobLaunch } from './record-job-launch.ts';
import { type RecordTaskOutcomeAction, recordTaskOutcome } from './record-task-outcome.ts';
import { type ScheduleRunCheckAction, scheduleRunCheck } from './schedule-run-check.ts';
import { type StartJobRunAction, startJobRun } from './start-job-run.ts';
import { type StopJobTaskAction, stopJobTask } from './stop-job-task.ts';

/** Every action the batch jobs' decisions return. */
type BatchAction =
  | StartJobRunAction
  | FinishJobRunAction
  | RecordTaskOutcomeAction
  | LaunchJobTasksAction
  | RecordJobLaunchAction
  | AdvanceJobWatermarkAction
  | StopJobTaskAction
  | ScheduleRunCheckAction
  | NotifyAction<BatchRunAlert>;

/** The ports the batch runners use. */
type BatchRunnerPorts = Parameters<typeof launchJobTasks.run>[1]['ports'];

/** The batch jobs' runners (notify aside). */
const batchRunners: RunnerTable<
  Exclude<BatchAction, NotifyAction<BatchRunAlert>>,
  BatchRunnerPorts
> = {
  'start-job-run': startJobRun,
  'finish-job-run': finishJobRun,
  'record-task-outcome': recordTaskOutcome,
  'launch-job-tasks': launchJobTasks,
  'record-job-launch': recordJobLaunch,
  'advance-job-watermark': advanceJobWatermark,
  'stop-job-task': stopJobTask,
  'schedule-run-check': scheduleRunCheck,
};

/** How the batch jobs' alerts are put into words. */
const batchAlertRenderers: AlertRenderers<BatchRunAlert> = { 'batch-run': renderBatchRun };

export { type BatchAction, type BatchRunnerPorts, batchAlertRenderers, batchRunners };
