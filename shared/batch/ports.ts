import type { EcsPort } from '#aws/ecs/port.ts';
import type {
  JobRun,
  LaunchRecord,
  RunFacts,
  RunStatus,
  TaskOutcome,
  Watermark,
} from './records.ts';

/** Batch job runs: headers by job, and the launches and task outcomes of each run. */
interface JobRunStore {
  /** The deployment stage: it scopes RunTask's startedBy, so stages sharing an account never mix runs. */
  readonly namespace: string;
  getRun(job: string, runKey: string): Promise<JobRun | undefined>;
  runFacts(job: string, runKey: string): Promise<RunFacts>;
  /** The job's runs whose key (scheduled time) is at or after `since`, oldest first. */
  recentRuns(job: string, since: Date): Promise<JobRun[]>;
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
  /** Records a task outcome; false if it was already recorded. */
  recordOutcome(job: string, runKey: string, outcome: TaskOutcome): Promise<boolean>;
  setWatermark(job: string, watermark: Watermark): Promise<void>;
}

/** What the batch jobs read and write: ECS and the job runs table. */
interface BatchPorts {
  ecs: EcsPort;
  jobRuns: JobRunStore;
}

export type { BatchPorts, JobRunStore };
