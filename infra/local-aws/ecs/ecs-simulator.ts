import type { SimClock } from '../core/clock.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { IdentityRegistry } from '../core/identity.ts';
import { uuid } from '../core/ids.ts';
import type { JsonObject } from '../core/input.ts';
import type { CallContext, JsonService, Operation } from '../server/service-types.ts';
import { BehaviorRegistry, type BehaviorSpec } from './behaviors.ts';
import { cloudTrailRecorder } from './cloudtrail.ts';
import {
  createCluster,
  deleteCluster,
  describeClusters,
  listClusters,
} from './cluster-operations.ts';
import {
  clusterNameOf,
  DEFAULT_TIMING,
  type EcsContext,
  type EcsTiming,
  ecsErrors,
  findTaskDefinition,
  type HookInvoker,
  type MetricSink,
  type TrafficSpec,
} from './ecs-context.ts';
import type {
  ClusterCapacity,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord,
} from './ecs-types.ts';
import { type HttpBehavior, HttpBehaviorRegistry } from './http-behaviors.ts';
import { ruleWeights } from './progressive/listener-rules.ts';
import {
  continueServiceDeployment,
  describeServiceDeployments,
  listServiceDeployments,
  stopServiceDeployment,
} from './progressive/service-deployment-operations.ts';
import { describeServiceRevisions } from './progressive/service-revisions.ts';
import { installScheduler } from './scheduler-hooks.ts';
import {
  createService,
  deleteService,
  describeServices,
  listServices,
  updateService,
} from './service-operations.ts';
import { requestReconcile } from './service-scheduler.ts';
import { listTagsForResource, tagResource, untagResource } from './tag-operations.ts';
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition,
} from './task-definition-operations.ts';
import {
  describeTasks,
  listTasks,
  purgeExpiredTasks,
  runTask,
  startTask,
  stopTask,
} from './task-operations.ts';
import { setTraffic } from './traffic/alb-traffic.ts';

/** Filter for `ecs.tasks()`. */
export interface TaskFilter {
  cluster?: string;
  serviceName?: string;
  family?: string;
  startedBy?: string;
  lastStatus?: string;
  desiredStatus?: 'RUNNING' | 'STOPPED';
}

type EcsOperation = (ctx: EcsContext, input: JsonObject, call: CallContext) => JsonObject;

const OPERATIONS: Record<string, EcsOperation> = {
  CreateCluster: createCluster,
  DeleteCluster: deleteCluster,
  DescribeClusters: describeClusters,
  ListClusters: listClusters,
  RegisterTaskDefinition: registerTaskDefinition,
  DescribeTaskDefinition: describeTaskDefinition,
  DeregisterTaskDefinition: deregisterTaskDefinition,
  ListTaskDefinitions: listTaskDefinitions,
  ListTaskDefinitionFamilies: listTaskDefinitionFamilies,
  CreateService: createService,
  UpdateService: updateService,
  DeleteService: deleteService,
  DescribeServices: describeServices,
  ListServices: listServices,
  RunTask: runTask,
  StartTask: startTask,
  StopTask: stopTask,
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  ListServiceDeployments: listServiceDeployments,
  DescribeServiceDeployments: describeServiceDeployments,
  DescribeServiceRevisions: describeServiceRevisions,
  StopServiceDeployment: stopServiceDeployment,
  ContinueServiceDeployment: continueServiceDeployment,
};

const noLambda: HookInvoker = {
  invoke: (functionArn) =>
    Promise.reject(new Error(`No Lambda host: cannot invoke ${functionArn}`)),
};

/**
 * In-memory ECS: the API operations, the task lifecycle, the rolling-update service scheduler and
 * the deployment circuit breaker, all on the simulated clock and emitting ECS's EventBridge events.
 */
export class EcsSimulator {
  readonly #ctx: EcsContext;
  readonly #identities: IdentityRegistry;
  /** Wire operations, bound to this simulator. */
  readonly operations: Record<string, Operation>;

  constructor(options: {
    clock: SimClock;
    bus: EventBus;
    region: string;
    accountId: string;
    identities: IdentityRegistry;
    /** Runs Lambda lifecycle hooks (the host's functions). */
    lambda?: HookInvoker;
    /** Counts a hook invocation as work the simulated clock waits for. */
    track?: <T>(work: Promise<T>) => Promise<T>;
    /** Receives the load balancer metrics of the simulated traffic. */
    metrics?: MetricSink;
  }) {
    this.#identities = options.identities;
    this.#ctx = {
      state: {
        clusters: new Map(),
        taskDefinitions: new Map(),
        services: new Map(),
        tasks: new Map(),
        runTaskTokens: new Map(),
        serviceRevisions: new Map(),
        serviceDeployments: new Map(),
        listenerRules: new Map(),
        traffic: new Map(),
      },
      clock: options.clock,
      bus: options.bus,
      region: options.region,
      accountId: options.accountId,
      timing: { ...DEFAULT_TIMING },
      behaviors: new BehaviorRegistry(),
      timers: new Map(),
      reconcileQueued: new Set(),
      hooks: {
        taskRunning: () => undefined,
        taskStopping: () => undefined,
        taskStopped: () => undefined,
      },
      httpBehaviors: new HttpBehaviorRegistry(),
      lambda: options.lambda ?? noLambda,
      track: options.track ?? (<T>(work: Promise<T>) => work),
      metrics: options.metrics ?? (() => undefined),
    };
    installScheduler(this.#ctx);
    this.operations = Object.fromEntries(
      Object.entries(OPERATIONS).map(([name, op]) => [
        name,
        (input: JsonObject, call: CallContext) => op(this.#ctx, input, call),
      ]),
    );
  }

  /** The wire service (AWS JSON 1.1), recording write calls to CloudTrail. */
  wire(): JsonService {
    return {
      name: 'ecs',
      protocol: 'json',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      jsonVersion: '1.1',
      queryCompatible: false,
      operations: this.operations,
      onCompleted: cloudTrailRecorder(this.#ctx),
    };
  }

  /** Runs an operation directly (same code as the wire; no CloudTrail event). Throws AwsError. */
  call(operation: string, input: object = {}): JsonObject {
    const op = OPERATIONS[operation];
    if (op === undefined) throw ecsErrors.invalid(`Unknown operation ${operation}`);
    const call: CallContext = {
      principal: this.#identities.resolve(),
      requestId: uuid(),
      userAgent: 'local-aws/direct',
      sourceIp: '127.0.0.1',
    };
    return op(this.#ctx, structuredClone(input) as JsonObject, call);
  }

  /** Creates a cluster (idempotent); returns its ARN. */
  createCluster(name = 'default', input: object = {}): string {
    const out = this.call('CreateCluster', { ...input, clusterName: name });
    return String((out.cluster as JsonObject).clusterArn);
  }

  /** Registers a task definition revision; returns its ARN. */
  registerTaskDefinition(input: object): string {
    const out = this.call('RegisterTaskDefinition', input);
    return String((out.taskDefinition as JsonObject).taskDefinitionArn);
  }

  /** Creates a service; returns its ARN. */
  createService(input: object): string {
    const out = this.call('CreateService', input);
    return String((out.service as JsonObject).serviceArn);
  }

  /** Sets how tasks of a family (`web`), revision (`web:3`) or task definition ARN behave. */
  setBehavior(familyOrArn: string, behavior: BehaviorSpec): void {
    this.#ctx.behaviors.set(familyOrArn, behavior);
  }

  /** Removes behaviours (all when no key is given); tasks then default to healthy. */
  clearBehaviors(familyOrArn?: string): void {
    this.#ctx.behaviors.clear(familyOrArn);
  }

  /**
   * Sets how tasks of a family (`web`) or revision (`web:3`) answer requests behind a load
   * balancer: target 5xx rate, load balancer 5xx rate, median and p99 latency.
   */
  setHttpBehavior(familyOrArn: string, behavior: HttpBehavior): void {
    this.#ctx.httpBehaviors.set(familyOrArn, behavior);
  }

  /** Removes HTTP behaviours (all when no key is given): tasks then answer 2xx in ~40 ms. */
  clearHttpBehaviors(familyOrArn?: string): void {
    this.#ctx.httpBehaviors.clear(familyOrArn);
  }

  /**
   * Sends `production` (and `test`) requests per minute to a service's listener rules, producing
   * AWS/ApplicationELB metrics every 10 simulated seconds; `undefined` stops the traffic.
   */
  setTraffic(
    cluster: string,
    serviceName: string,
    traffic: Partial<TrafficSpec> | undefined,
  ): void {
    const service = this.#ctx.state.services.get(`${clusterNameOf(cluster)}/${serviceName}`);
    if (service === undefined) throw ecsErrors.serviceNotFound();
    setTraffic(
      this.#ctx,
      service,
      traffic === undefined
        ? undefined
        : { production: traffic.production ?? 0, test: traffic.test ?? 0 },
    );
  }

  /** A listener rule's forward weights (target group ARN → percent), as ECS last set them. */
  listenerRuleWeights(ruleArn: string): Record<string, number> | undefined {
    return ruleWeights(this.#ctx, ruleArn);
  }

  /** Limits how many non-STOPPED tasks a cluster can hold; placements beyond fail with `reason`. */
  setCapacity(clusterName: string, capacity: ClusterCapacity): void {
    const cluster = this.#ctx.state.clusters.get(clusterNameOf(clusterName));
    if (cluster === undefined) throw ecsErrors.clusterNotFound();
    cluster.capacity = { ...capacity };
    for (const service of this.#ctx.state.services.values()) {
      if (service.clusterArn === cluster.arn) requestReconcile(this.#ctx, service);
    }
  }

  /** Overrides lifecycle and scheduler timings (applies to transitions scheduled afterwards). */
  setTiming(timing: Partial<EcsTiming>): void {
    Object.assign(this.#ctx.timing, timing);
  }

  /** Current timings. */
  get timing(): Readonly<EcsTiming> {
    return this.#ctx.timing;
  }

  /** Snapshot of tasks still retained (STOPPED ones for about an hour), oldest first. */
  tasks(filter: TaskFilter = {}): TaskRecord[] {
    purgeExpiredTasks(this.#ctx);
    const clusterName = filter.cluster === undefined ? undefined : clusterNameOf(filter.cluster);
    return [...this.#ctx.state.tasks.values()]
      .filter((t) => clusterName === undefined || t.clusterName === clusterName)
      .filter(
        (t) => filter.serviceName === undefined || t.group === `service:${filter.serviceName}`,
      )
      .filter((t) => filter.family === undefined || t.family === filter.family)
      .filter((t) => filter.startedBy === undefined || t.startedBy === filter.startedBy)
      .filter((t) => filter.lastStatus === undefined || t.lastStatus === filter.lastStatus)
      .filter((t) => filter.desiredStatus === undefined || t.desiredStatus === filter.desiredStatus)
      .map((t) => structuredClone(t));
  }

  /** Snapshot of one service, if it exists. */
  service(cluster: string, name: string): ServiceRecord | undefined {
    const service = this.#ctx.state.services.get(`${clusterNameOf(cluster)}/${name}`);
    return service === undefined ? undefined : structuredClone(service);
  }

  /** Snapshot of a task definition by family, `family:revision` or ARN. */
  taskDefinition(ref: string): TaskDefinitionRecord | undefined {
    const td = findTaskDefinition(this.#ctx, ref);
    return td === undefined ? undefined : structuredClone(td);
  }
}
