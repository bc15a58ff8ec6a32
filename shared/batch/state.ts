import type { TaskDefinitionState } from '#aws/ecs/state.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import type { JobConfig } from './config.ts';
import type { FireTimes } from './missed-runs.ts';
import type { JobRun, RunFacts, TaskOutcome, Watermark } from './records.ts';

/*
 * What the batch jobs' decisions read: built live by load.ts from ECS and the job runs table,
 * offline by replay from a recording.
 */

/** What the periodic check knows: every job, with its recent and active runs. */
interface SweepState {
  namespace: string;
  jobs: JobCheck[];
  fireTimes: FireTimes;
}

/** What the periodic check knows about one job. */
interface JobCheck {
  job: string;
  config: JobConfig;
  watermark: Watermark | undefined;
  /** The job's recent run records (for missed runs). */
  runs: JobRun[];
  active: ActiveRun[];
  /** Why this job could not be checked this time (a transient failure; the next check tries again). */
  error?: string | undefined;
}

/** A run the check brings up to date, with what ECS says about its tasks (if it could be read). */
interface ActiveRun {
  run: JobRun;
  facts: RunFacts;
  observed: RunObservation | undefined;
}

/** What ECS says about a run's tasks now (from an event, or ListTasks and DescribeTasks). */
interface RunObservation {
  /** Tasks started with the run's startedBy that ECS lists as desired RUNNING. */
  running: readonly string[];
  /** Stopped tasks ECS reported (a STOPPED event, or DescribeTasks). */
  stopped: readonly TaskDetail[];
  /** Launched tasks DescribeTasks no longer knows (stopped over an hour ago, or not yet visible). */
  missing: readonly string[];
}

/** What starting a run needs to know. */
interface StartState {
  namespace: string;
  config: JobConfig | undefined;
  /** The run, if an earlier delivery of the same invocation already recorded it. */
  existing: { run: JobRun; facts: RunFacts } | undefined;
  previous: PreviousRun[];
  /** The task definition revision to run (the family's latest ACTIVE one); undefined if none. */
  definition: TaskDefinitionState | undefined;
  clusterMissing: boolean;
}

/** A run of the same job that has not finished yet, with the tasks ECS runs for it. */
interface PreviousRun {
  run: JobRun;
  facts: RunFacts;
  running: string[];
}

/** What each kind of invocation loads. */
type BatchState =
  | { kind: 'start'; start: StartState }
  | { kind: 'sweep'; sweep: SweepState }
  | { kind: 'run'; state: RunState }
  | { kind: 'stopped'; state: StoppedTaskState }
  | { kind: 'none' };

/**
 * A stopped task of a running run that other open tasks outlive, and whose outcome asks for no
 * retry: its outcome is recorded from the run's header alone, whatever the run's size. Its
 * run's other work (finishing, retries, deadlines) is decided from all the records by the event
 * of the last open task and by the periodic check.
 */
interface StoppedTaskState {
  namespace: string;
  run: JobRun;
  outcome: TaskOutcome;
}

/** A run and what ECS says about it (a stopped task's event, or ListTasks and DescribeTasks). */
interface RunState {
  namespace: string;
  run: JobRun | undefined;
  facts: RunFacts;
  observed: RunObservation;
  config: JobConfig | undefined;
}

export type {
  ActiveRun,
  BatchState,
  JobCheck,
  PreviousRun,
  RunObservation,
  RunState,
  StartState,
  StoppedTaskState,
  SweepState,
};
