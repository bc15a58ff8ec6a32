import type { ServiceDocument } from './service-document.ts';
import type { ServiceState, TaskDefinitionState, TaskState } from './state.ts';

/** The RunTask parameters of a run, fixed when it starts: a configuration change applies to later runs. */
interface LaunchSpec {
  cluster: string;
  /** The revision ARN resolved at the start, so every task and retry of a run uses the same one. */
  taskDefinition: string;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL' | undefined;
  capacityProviderStrategy?:
    | { capacityProvider: string; weight?: number | undefined; base?: number | undefined }[]
    | undefined;
  platformVersion?: string | undefined;
  network?:
    | { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' }
    | undefined;
  containerOverrides?: ContainerOverrideSpec[] | undefined;
  tags: { key: string; value: string }[];
  propagateTags?: 'TASK_DEFINITION' | 'NONE' | undefined;
}

/** A container override in RunTask's terms. */
interface ContainerOverrideSpec {
  name: string;
  command?: string[] | undefined;
  environment?: { name: string; value: string }[] | undefined;
}

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
  /**
   * How long throttling and server errors may be retried (with the same token) before the call
   * answers `unavailable`: the caller's remaining time, less what it keeps for the end.
   */
  budgetMs: number;
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

export type {
  ContainerOverrideSpec,
  DeregisterOutcome,
  EcsPort,
  LaunchSpec,
  RunTaskRequest,
  RunTaskResult,
  ServiceUpdate,
  StopTaskOutcome,
  TaskListFilter,
  TaskListOptions,
};
