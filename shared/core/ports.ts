import type { Severity } from './alert.ts';
import type { ServiceState, TaskDefinitionState, TaskState } from './ecs-state.ts';
import type {
  JobRun,
  LaunchRecord,
  LaunchSpec,
  RunFacts,
  RunStatus,
  TaskOutcome,
  Watermark,
} from './job-run.ts';

/** ListTasks filters; ECS allows startedBy only with cluster and desiredStatus. */
interface TaskListFilter {
  startedBy?: string;
  serviceName?: string;
  family?: string;
  /** RUNNING (ECS's default) or STOPPED (kept by ECS for at least an hour). */
  desiredStatus?: 'RUNNING' | 'STOPPED';
}

/** What a StopTask call found: safe to repeat, so a stopped or vanished task is not an error. */
type StopTaskOutcome = 'stopping' | 'already-stopped' | 'not-found';

/** One RunTask call: a run's launch parameters, how many tasks, and its idempotency token. */
interface RunTaskRequest {
  spec: LaunchSpec;
  count: number;
  startedBy: string;
  /** The same token always returns the tasks of the first call (ECS keeps it up to 24 hours). */
  clientToken: string;
}

/** What RunTask answered: the tasks it started and the placements that failed. */
type RunTaskResult =
  | {
      outcome: 'launched';
      taskArns: string[];
      failures: { reason: string; detail?: string | undefined }[];
    }
  /** The token was used with other parameters (the configuration changed): these are its tasks. */
  | { outcome: 'conflict'; taskArns: string[] }
  /** ECS refused the call for good: a missing cluster or task definition, a missing permission. */
  | { outcome: 'refused'; error: { name: string; message: string } }
  /** Throttling or a server error outlasted the retries; the call may be made again with the token. */
  | { outcome: 'unavailable'; error: { name: string; message: string } };

/** The ECS operations Harbormaster uses, in its own terms. Adapters implement it over the SDK. */
interface EcsPort {
  /** The service, or undefined when ECS reports it missing. */
  describeService(cluster: string, service: string): Promise<ServiceState | undefined>;
  /** The tasks that ECS still knows (stopped ones for about an hour), in batches of 100. */
  describeTasks(cluster: string, taskArns: readonly string[]): Promise<TaskState[]>;
  /** Every task ARN matching the filter, across pages. */
  listTasks(cluster: string, filter: TaskListFilter): Promise<string[]>;
  /** Stops a task with a reason that becomes its stoppedReason. */
  stopTask(cluster: string, taskArn: string, reason: string): Promise<StopTaskOutcome>;
  /** A revision by ARN or family:revision (or the latest ACTIVE of a family); undefined if unknown. */
  describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionState | undefined>;
  /** RunTask, paced under the RunTask rate limits; throttling is waited out, never thrown. */
  runTask(request: RunTaskRequest): Promise<RunTaskResult>;
}

/** A rendered alert, ready for a channel. */
interface AlertMessage {
  /** The alert's deduplication key: stable across redeliveries of the same occurrence. */
  id: string;
  severity: Severity;
  kind: string;
  eventType: string;
  title: string;
  summary: string;
  fields: { label: string; value: string }[];
  details: string[];
  nextSteps: string[];
  links: { label: string; url: string }[];
  threadId: string;
  resources: string[];
  attributes: Record<string, string>;
}

/** A place alerts go (SNS topic, Slack webhook). */
interface AlertChannel {
  readonly name: string;
  readonly minimumSeverity: Severity;
  send(message: AlertMessage): Promise<void>;
}

/** Remembers deduplication keys for a while; a claim succeeds once per key per window. */
interface DedupStore {
  /** True if this call claimed the key; false if a live claim already holds it. */
  claim(key: string, now: Date, windowSeconds: number): Promise<boolean>;
  /** Gives a claim back, so that a retry after a failed delivery can send again. */
  release(key: string): Promise<void>;
}

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
  /** Takes (or renews) the right to launch a run's tasks until `until`; false while another holds it. */
  acquireLaunchLease(
    job: string,
    runKey: string,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean>;
  releaseLaunchLease(job: string, runKey: string, owner: string): Promise<void>;
  setWatermark(job: string, watermark: Watermark): Promise<void>;
}

/** Keeps failed invocation records for inspection and redrive. */
interface DeadLetterQueue {
  park(functionName: string, record: unknown): Promise<void>;
}

/** Every port a handler may use; each function is wired with the ones it needs. */
interface Ports {
  ecs: EcsPort;
  channels: readonly AlertChannel[];
  dedup: DedupStore;
  deadLetters: DeadLetterQueue;
  jobRuns: JobRunStore;
}

export type {
  AlertChannel,
  AlertMessage,
  DeadLetterQueue,
  DedupStore,
  EcsPort,
  JobRunStore,
  Ports,
  RunTaskRequest,
  RunTaskResult,
  StopTaskOutcome,
  TaskListFilter,
};
