import type { EcsPort } from '#aws/ecs/port.ts';
import type {
  JobRun,
  LaunchRecord,
  RunFacts,
  RunStatus,
  TaskOutcome,
  Watermark,
} from './records.ts';

/** What recording a stopped task's outcome did (see `recordOutcomeWhileOthersOpen`). */
type OutcomeRecording = 'recorded' | 'already-recorded' | 'last-open';

/**
 * A run's header with what it counts: its open tasks (launched, no outcome recorded yet), kept
 * by every launch and outcome recorded, and when the periodic check must next read all its
 * records (`checkAt`). Both are undefined for runs recorded before they existed.
 */
interface RunHeader {
  run: JobRun;
  open: number | undefined;
  checkAt: string | undefined;
}

/** Batch job runs: headers by job, and the launches and task outcomes of each run. */
interface JobRunStore {
  /** The deployment stage: it scopes RunTask's startedBy, so stages sharing an account never mix runs. */
  readonly namespace: string;
  getRun(job: string, runKey: string): Promise<JobRun | undefined>;
  /** The run's header with its counts: one item read, whatever the run's size. */
  getRunHeader(job: string, runKey: string): Promise<RunHeader | undefined>;
  runFacts(job: string, runKey: string): Promise<RunFacts>;
  /** The job's runs whose key (scheduled time) is at or after `since`, oldest first. */
  recentRuns(job: string, since: Date): Promise<JobRun[]>;
  /** The same runs with their headers' counts. */
  recentRunHeaders(job: string, since: Date): Promise<RunHeader[]>;
  /**
   * Asks the periodic check to read all of a running run's records at `at`: never postpones a
   * check still to come (`now` tells a past one, which is replaced).
   */
  scheduleCheck(job: string, runKey: string, at: string, now: Date): Promise<void>;
  watermark(job: string): Promise<Watermark | undefined>;
  /** Creates the run record; false if it already exists (a duplicate invocation). */
  createRun(run: JobRun): Promise<boolean>;
  /** Moves a running run to a final status; false if it had already finished. */
  finishRun(
    job: string,
    runKey: string,
    result: {
      status: Exclude<RunStatus, 'running'>;
      finishedAt: string;
      reason?: string | undefined;
    },
  ): Promise<boolean>;
  recordLaunch(job: string, runKey: string, launch: LaunchRecord): Promise<void>;
  /** Records a task outcome (and counts it off the run's open tasks); false if already recorded. */
  recordOutcome(job: string, runKey: string, outcome: TaskOutcome): Promise<boolean>;
  /**
   * Records a task outcome only while the run is running and another of its tasks is still open,
   * atomically with the count: 'last-open' (nothing written) when this task may be the run's last,
   * which is then decided from all of the run's records.
   */
  recordOutcomeWhileOthersOpen(
    job: string,
    runKey: string,
    outcome: TaskOutcome,
  ): Promise<OutcomeRecording>;
  setWatermark(job: string, watermark: Watermark): Promise<void>;
}

/** What the batch jobs read and write: ECS and the job runs table. */
interface BatchPorts {
  ecs: EcsPort;
  jobRuns: JobRunStore;
}

export type { BatchPorts, JobRunStore, OutcomeRecording, RunHeader };
