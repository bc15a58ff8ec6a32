import type { ServiceState, TaskDefinitionState, TaskState } from '#aws/ecs/state.ts';
import type {
  JobRun,
  LaunchRecord,
  LaunchSpec,
  RunFacts,
  RunStatus,
  TaskOutcome,
  Watermark,
} from '#batch/records.ts';
import type {
  DeploymentWatch,
  RollbackRecord,
  ServiceGuardHistory,
  WatchRef,
} from '#guard/records.ts';
import type { ServiceDocument } from '#policies/documents.ts';
import type { Severity } from './alert.ts';

/** ListTasks filters; ECS allows startedBy only with cluster and desiredStatus. */
interface TaskListFilter {
  startedBy?: string;
  serviceName?: string;
  family?: string;
  /** RUNNING (ECS's default) or STOPPED (kept by ECS for at least an hour). */
  desiredStatus?: 'RUNNING' | 'STOPPED';
}

/** How many task ARNs ListTasks may return at most (one page of 100 when the caller needs a bound). */
interface TaskListOptions {
  limit?: number;
}

/** What UpdateService did: the deployment it started, if it started one. */
interface ServiceUpdate {
  /** The PRIMARY deployment after the call (a new one when the task definition changed). */
  deploymentId: string | undefined;
  taskDefinition: string;
}

/** What a StopTask call found: safe to repeat, so a stopped or vanished task is not an error. */
type StopTaskOutcome = 'stopping' | 'already-stopped' | 'not-found';

/** What a DeregisterTaskDefinition call found: safe to repeat. */
type DeregisterOutcome = 'deregistered' | 'already-inactive' | 'not-found';

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
  /** Every task ARN matching the filter, across pages (stopping at `options.limit`). */
  listTasks(cluster: string, filter: TaskListFilter, options?: TaskListOptions): Promise<string[]>;
  /** Stops a task with a reason that becomes its stoppedReason. */
  stopTask(cluster: string, taskArn: string, reason: string): Promise<StopTaskOutcome>;
  /** A revision by ARN or family:revision (or the latest ACTIVE of a family); undefined if unknown. */
  describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionState | undefined>;
  /** RunTask, paced under the RunTask rate limits; throttling is waited out, never thrown. */
  runTask(request: RunTaskRequest): Promise<RunTaskResult>;
  /** The service's configuration as ECS describes it (with tags), for policies; undefined if missing. */
  describeServiceConfiguration(
    cluster: string,
    service: string,
  ): Promise<ServiceDocument | undefined>;
  /** Adds or replaces tags on an ECS resource (task definition, service, task). */
  tagResource(resourceArn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** Marks a revision INACTIVE (no new tasks or services can use it). */
  deregisterTaskDefinition(taskDefinition: string): Promise<DeregisterOutcome>;
  /**
   * Points the service at a task definition (UpdateService with taskDefinition only). ECS starts a
   * deployment only if that changes the service, so repeating the call starts nothing.
   */
  updateServiceTaskDefinition(
    cluster: string,
    service: string,
    taskDefinition: string,
  ): Promise<ServiceUpdate>;
}

/** A CloudWatch alarm state value. */
type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Reads CloudWatch alarms. */
interface AlarmPort {
  /** The current state of each named alarm that exists (missing alarms are left out). */
  alarmStates(names: readonly string[]): Promise<Record<string, AlarmStateValue>>;
}

/** The deployment guard's memory (its DynamoDB table). Every write is safe to repeat. */
interface GuardStore {
  /** The watches and rollbacks of one service. */
  history(cluster: string, service: string): Promise<ServiceGuardHistory>;
  /** The deployments watching an alarm. */
  watchesForAlarm(alarmName: string): Promise<WatchRef[]>;
  /** The watches whose deadline or bake time is due at `now`. */
  dueWatches(now: Date): Promise<WatchRef[]>;
  /**
   * Starts a watch, due at `dueAt`. An existing watch of the same deployment and origin is kept
   * (a redelivered event changes nothing); returns whether this call created it.
   */
  startWatch(watch: DeploymentWatch, dueAt: Date): Promise<boolean>;
  /** Rewrites a watch (its bake time), due at `dueAt`. */
  updateWatch(watch: DeploymentWatch, dueAt: Date): Promise<void>;
  /** Forgets a watch and its alarm index entries. */
  endWatch(watch: DeploymentWatch): Promise<void>;
  /** Records a rollback unless one of the same deployment exists; true if this call claimed it. */
  claimRollback(record: RollbackRecord): Promise<boolean>;
  /** Gives a claim back (UpdateService failed), so that a retry can roll back. */
  releaseRollback(record: RollbackRecord): Promise<void>;
  /** Adds the deployment UpdateService started to a rollback record. */
  recordRollbackDeployment(record: RollbackRecord, deploymentId: string): Promise<void>;
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
  alarms: AlarmPort;
  guardStore: GuardStore;
  channels: readonly AlertChannel[];
  dedup: DedupStore;
  deadLetters: DeadLetterQueue;
  jobRuns: JobRunStore;
}

export type {
  AlarmPort,
  AlarmStateValue,
  AlertChannel,
  AlertMessage,
  DeadLetterQueue,
  DedupStore,
  DeregisterOutcome,
  EcsPort,
  GuardStore,
  JobRunStore,
  Ports,
  RunTaskRequest,
  RunTaskResult,
  ServiceUpdate,
  StopTaskOutcome,
  TaskListFilter,
  TaskListOptions,
};
