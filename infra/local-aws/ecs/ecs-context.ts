import { AwsError, errorOf } from '../core/aws-error.ts';
import type { SimClock, TimerHandle } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { BehaviorRegistry } from './behaviors.ts';
import type {
  ClusterRecord,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord,
} from './ecs-types.ts';
import type { HttpBehaviorRegistry } from './http-behaviors.ts';
import type {
  ServiceDeploymentRecord,
  ServiceRevisionRecord,
} from './progressive/progressive-types.ts';

/** Simulated durations of the task lifecycle and the service scheduler (milliseconds). */
export interface EcsTiming {
  /** PROVISIONING → PENDING (awsvpc tasks). */
  provisioningMs: number;
  /** Launch → image pull starts. */
  pullStartMs: number;
  /** Launch → image pull done. */
  pullStopMs: number;
  /** Launch → RUNNING. */
  runningMs: number;
  /** Launch → image pull given up (image-pull-failure). */
  pullFailMs: number;
  /** desiredStatus STOPPED → containers exited (DEPROVISIONING). */
  stopGraceMs: number;
  /** desiredStatus STOPPED → STOPPED. */
  stoppedMs: number;
  /** How long STOPPED tasks stay visible to ListTasks/DescribeTasks. */
  stoppedRetentionMs: number;
  /** How long every task of a deployment must stay RUNNING before it counts as steady. */
  stabilityMs: number;
  /** First back-off after a task fails to start; doubles per consecutive failure. */
  backoffBaseMs: number;
  /** Back-off cap (ECS documents 15 minutes). */
  backoffMaxMs: number;
  /** Delay before retrying a placement that failed for lack of capacity. */
  placementRetryMs: number;
}

/** Defaults: RUNNING ~20 s after launch, STOPPED ~30 s after the stop begins. */
export const DEFAULT_TIMING: EcsTiming = {
  provisioningMs: 5_000,
  pullStartMs: 10_000,
  pullStopMs: 18_000,
  runningMs: 20_000,
  pullFailMs: 30_000,
  stopGraceMs: 10_000,
  stoppedMs: 30_000,
  stoppedRetentionMs: 3_600_000,
  stabilityMs: 30_000,
  backoffBaseMs: 15_000,
  backoffMaxMs: 900_000,
  placementRetryMs: 60_000,
};

/** All ECS state. */
export interface EcsState {
  clusters: Map<string, ClusterRecord>;
  /** family → revisions (index = revision - 1). */
  taskDefinitions: Map<string, TaskDefinitionRecord[]>;
  /** `${clusterName}/${serviceName}` → service. */
  services: Map<string, ServiceRecord>;
  tasks: Map<string, TaskRecord>;
  runTaskTokens: Map<string, { fingerprint: string; taskArns: string[]; failures: unknown[] }>;
  /** Service revisions by ARN (services of the BLUE_GREEN, LINEAR and CANARY strategies). */
  serviceRevisions: Map<string, ServiceRevisionRecord>;
  /** Service deployments by ARN, oldest first. */
  serviceDeployments: Map<string, ServiceDeploymentRecord>;
  /** Listener rule ARN → target group ARN → forward weight (percent). */
  listenerRules: Map<string, Record<string, number>>;
  /** Service ARN → simulated requests per minute arriving at its listeners. */
  traffic: Map<string, TrafficSpec>;
}

/** Requests per minute arriving at a service's production and test listener rules. */
export interface TrafficSpec {
  production: number;
  test: number;
}

/** Invokes a Lambda function synchronously (the host runs it). */
export interface HookInvoker {
  invoke(functionArn: string, event: unknown): Promise<unknown>;
}

/** Receives the Application Load Balancer metrics the simulated traffic produces. */
export type MetricSink = (datum: {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  at: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  samples?: [number, number][];
  unit: string;
}) => void;

/** Hooks the service scheduler installs to hear about task transitions. */
export interface SchedulerHooks {
  taskRunning(task: TaskRecord): void;
  taskStopping(task: TaskRecord): void;
  taskStopped(task: TaskRecord): void;
}

/** What every ECS module works with. */
export interface EcsContext {
  state: EcsState;
  clock: SimClock;
  bus: EventBus;
  region: string;
  accountId: string;
  timing: EcsTiming;
  behaviors: BehaviorRegistry;
  /** Lifecycle timers per task ARN (cancelled when the task stops early). */
  timers: Map<string, TimerHandle[]>;
  /** Scheduled reconciles, keyed `<serviceArn>@<time or now>`, so each instant runs once. */
  reconcileQueued: Set<string>;
  hooks: SchedulerHooks;
  /** How each revision answers HTTP requests (error rates, latency). */
  httpBehaviors: HttpBehaviorRegistry;
  lambda: HookInvoker;
  /** Counts asynchronous work (a hook invocation) so the simulated clock waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
  metrics: MetricSink;
  /** The traffic ticker, while any service has traffic. */
  trafficTimer?: TimerHandle;
}

/** ECS errors with the messages the real API uses where they are known. */
export const ecsErrors = {
  client: errorOf('ClientException'),
  invalid: errorOf('InvalidParameterException'),
  clusterNotFound: (): AwsError => new AwsError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: (): AwsError => new AwsError('ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: (): AwsError =>
    new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.'),
  serviceDeploymentNotFound: (): AwsError =>
    new AwsError(
      'ServiceDeploymentNotFoundException',
      'The service deployment ARN that you specified does not exist.',
    ),
  conflict: (message: string, resourceIds: string[]): AwsError =>
    new AwsError('ConflictException', message, 400, { fields: { resourceIds } }),
};

/** ARN of a cluster. */
export const clusterArn = (ctx: EcsContext, name: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}`;

/** ARN of a service (new format, with the cluster name). */
export const serviceArn = (ctx: EcsContext, cluster: string, name: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster}/${name}`;

/** ARN of a task (new format). */
export const taskArn = (ctx: EcsContext, cluster: string, id: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${cluster}/${id}`;

/** ARN of a task definition revision. */
export const taskDefinitionArn = (ctx: EcsContext, family: string, revision: number): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}:${revision}`;

/** ARN of a Fargate or ASG capacity provider. */
export const capacityProviderArn = (ctx: EcsContext, name: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:capacity-provider/${name}`;

/** Cluster name from a name or ARN (default "default"). */
export const clusterNameOf = (ref: string | undefined): string => {
  if (ref === undefined || ref === '') return 'default';
  const match = /^arn:[^:]+:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(ref);
  return match?.[1] ?? ref;
};

/** The ACTIVE cluster named by `ref`, or ClusterNotFoundException. */
export const requireCluster = (ctx: EcsContext, ref: string | undefined): ClusterRecord => {
  const cluster = ctx.state.clusters.get(clusterNameOf(ref));
  if (cluster === undefined || cluster.status !== 'ACTIVE') throw ecsErrors.clusterNotFound();
  return cluster;
};

/** Service name from a name or ARN (either ARN format). */
export const serviceNameOf = (ref: string): string => {
  const match = /^arn:[^:]+:ecs:[^:]*:\d*:service\/(?:[^/]+\/)?([^/]+)$/.exec(ref);
  return match?.[1] ?? ref;
};

/** Task id from an id or ARN (either ARN format). */
export const taskIdOf = (ref: string): string => ref.split('/').pop() ?? ref;

/** Looks up a task definition by `family`, `family:revision` or ARN. */
export const findTaskDefinition = (
  ctx: EcsContext,
  ref: string,
): TaskDefinitionRecord | undefined => {
  const bare = ref.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '');
  const match = /^([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(bare);
  if (match === null || match[1] === undefined) return undefined;
  const revisions = ctx.state.taskDefinitions.get(match[1]) ?? [];
  if (match[2] !== undefined) return revisions[Number(match[2]) - 1];
  return revisions.filter((r) => r.status === 'ACTIVE').at(-1);
};

/** A task definition that can launch tasks (exists and, when named by family, is ACTIVE). */
export const requireLaunchableTaskDefinition = (
  ctx: EcsContext,
  ref: string,
): TaskDefinitionRecord => {
  const td = findTaskDefinition(ctx, ref);
  if (td === undefined) throw ecsErrors.client('TaskDefinition not found.');
  if (td.status !== 'ACTIVE') throw ecsErrors.client('TaskDefinition is inactive');
  return td;
};
