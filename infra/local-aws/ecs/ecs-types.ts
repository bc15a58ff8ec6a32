import type { JsonObject } from '../core/input.ts';
import type { TaskBehavior } from './behaviors.ts';

/** Task `lastStatus` values (ECS task lifecycle). */
export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

/** Task `stopCode` values. */
export type StopCode =
  | 'TaskFailedToStart'
  | 'EssentialContainerExited'
  | 'UserInitiated'
  | 'ServiceSchedulerInitiated'
  | 'SpotInterruption'
  | 'TerminationNotice';

/** Why a task stopped, as the scheduler and circuit breaker classify it. */
export type StopCause = 'start-failure' | 'health-check' | 'essential-exit' | 'scheduler' | 'user';

/** Placement failure reasons reported in RunTask `failures` and placement-failure events. */
export type PlacementReason = 'RESOURCE:CPU' | 'RESOURCE:MEMORY' | 'RESOURCE:FARGATE' | 'AGENT';

/** A resource tag as ECS models it. */
export interface Tag {
  key: string;
  value: string;
}

/** Capacity limit set with `ecs.setCapacity`. */
export interface ClusterCapacity {
  maxRunningTasks?: number;
  reason?: PlacementReason;
}

/** A cluster. */
export interface ClusterRecord {
  arn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  tags: Tag[];
  settings: JsonObject[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: JsonObject[];
  capacity: ClusterCapacity;
  /** The one simulated container instance that EC2 tasks are placed on. */
  containerInstanceArn: string;
}

/** One revision of a task definition. */
export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  /** The registered definition, normalised as DescribeTaskDefinition returns it. */
  definition: JsonObject;
  compatibilities: string[];
  requiresAttributes: { name: string }[];
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  tags: Tag[];
}

/** A container of a task. */
export interface ContainerRecord {
  arn: string;
  name: string;
  image: string;
  imageDigest: string;
  essential: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  runtimeId?: string;
  cpu: string;
  memory?: string;
  memoryReservation?: string;
  hasHealthCheck: boolean;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

/** An elastic network interface attachment of an awsvpc task. */
export interface AttachmentRecord {
  id: string;
  type: 'eni';
  status: 'PRECREATED' | 'ATTACHED' | 'DETACHED' | 'DELETED';
  details: { name: string; value: string }[];
}

/** A task and everything DescribeTasks and the task events report about it. */
export interface TaskRecord {
  arn: string;
  id: string;
  clusterArn: string;
  clusterName: string;
  taskDefinitionArn: string;
  family: string;
  group: string;
  startedBy?: string;
  launchType: 'FARGATE' | 'EC2' | 'EXTERNAL';
  capacityProviderName?: string;
  platformVersion?: string;
  platformFamily?: string;
  cpu: string;
  memory: string;
  overrides: JsonObject;
  tags: Tag[];
  availabilityZone: string;
  attachments: AttachmentRecord[];
  containerInstanceArn?: string;
  enableExecuteCommand: boolean;
  awsvpc: boolean;
  containers: ContainerRecord[];
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  version: number;
  /** Service that owns the task (service tasks only). */
  serviceArn?: string;
  /** Deployment that launched the task (equals `startedBy` for service tasks). */
  deploymentId?: string;
  /** The target group a service task registered with (services with load balancers). */
  targetGroupArn?: string;
  /** The simulated behaviour chosen at launch. */
  behavior: TaskBehavior;
  /** True once RUNNING for a task that passes its health checks. */
  healthy: boolean;
  stopCause?: StopCause;
}

/** One entry of a service's event log (`services[].events`). */
export interface ServiceEventRecord {
  id: string;
  createdAt: number;
  message: string;
}

/** A service deployment (`services[].deployments[]`). */
export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  createdAt: number;
  updatedAt: number;
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: JsonObject;
  rolloutState?: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  failedTasks: number;
  /** False once a healthy task ran and `resetOnHealthyTask` stopped the breaker's evaluation. */
  breakerEvaluating: boolean;
  /** Circuit-breaker stage: 1 until a task of this deployment reaches RUNNING, then 2. */
  breakerStage: 1 | 2;
}

/** A service and the scheduler's bookkeeping for it. */
export interface ServiceRecord {
  arn: string;
  name: string;
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: JsonObject;
  loadBalancers: JsonObject[];
  serviceRegistries: JsonObject[];
  deploymentController: { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' };
  deploymentConfiguration: JsonObject;
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  placementConstraints: JsonObject[];
  placementStrategy: JsonObject[];
  healthCheckGracePeriodSeconds?: number;
  enableECSManagedTags: boolean;
  propagateTags: string;
  enableExecuteCommand: boolean;
  tags: Tag[];
  createdAt: number;
  createdBy: string;
  deployments: DeploymentRecord[];
  events: ServiceEventRecord[];
  /** Fingerprint of the CreateService request, for its idempotency. */
  createFingerprint: string;
  /** Whether the scheduler last reported steady state. */
  steady: boolean;
  /** Consecutive tasks that failed to reach RUNNING (service throttle logic). */
  startFailures: number;
  /** No task launches before this simulated time (throttle back-off or placement retry). */
  launchNotBefore: number;
  startImpairedReported: boolean;
  /** BLUE_GREEN/LINEAR/CANARY: the service revision serving production (blue). */
  productionRevisionArn?: string;
  /** The most recent deployment that reached COMPLETED, kept for circuit-breaker rollback. */
  lastCompleted?: DeploymentRecord;
  /** Health-check replacements waiting to be reported in the next "has started" message. */
  pendingReplacements: number;
  deletedAt?: number;
}
