import type { Service } from '@aws-sdk/client-ecs';
import { toServiceState } from '#aws/ecs/mapping.ts';
import type {
  DeregisterOutcome,
  EcsPort,
  RunTaskRequest,
  RunTaskResult,
  ServiceUpdate,
  TaskListFilter,
  TaskListOptions,
} from '#aws/ecs/port.ts';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import { toServiceDocument } from '#aws/ecs/service-document.ts';
import type { DeploymentState, ServiceState } from '#aws/ecs/state.ts';
import { RecordedLaunches } from '#batch/recorded-launches.ts';
import { clusterName } from '#kernel/events/arn.ts';
import type { EventOfKind, HarbormasterEvent } from '#kernel/events/parse.ts';
import { RecordedTaskDefinitions } from '#policies/recorded-task-definitions.ts';
import { noServiceState } from './missing-state.ts';
import { RecordedTasks } from './recorded-tasks.ts';
import { ReplayedRollbacks } from './replayed-rollbacks.ts';
import { serviceKey as key, type ServiceJson, servicesOf } from './state-files.ts';

type DeploymentEvent = EventOfKind<'deployment-state-change'>;

const ROLLING_BACK = /rolling back to deploymentId/i;

/**
 * ECS as a recording shows it: services from `aws ecs describe-services` output and revisions from
 * `describe-task-definition` output, brought forward by the recorded events (deployments started,
 * completed, failed, rolled back by ECS; tasks stopped; revisions registered) and by Harbormaster's
 * own replayed actions (a rollback starts its deployment). It answers the EcsPort reads offline,
 * so a replay runs every function's own load and decide. A service no state file describes is not
 * made up: reading it throws MissingStateError. Calls that would change ECS are recorded.
 */
class RecordedEcs implements EcsPort {
  readonly #services = new Map<string, ServiceState>();
  /** The services as the state file describes them, for the configuration policies read. */
  readonly #serviceFiles = new Map<string, ServiceJson>();
  /** Services describe-services listed as MISSING: ECS's own answer, not a gap in the state. */
  readonly #missing = new Set<string>();
  /** Deployments that left DescribeServices (replaced), kept for a rollback by ECS to them. */
  readonly #retired = new Map<string, DeploymentState>();
  readonly #tasks = new RecordedTasks();
  readonly #rollbacks = new ReplayedRollbacks();
  readonly #taskDefinitions = new RecordedTaskDefinitions();
  readonly #now: () => Date;
  readonly launches: RecordedLaunches;
  /** Calls that would have changed ECS, in order. */
  readonly requests: { operation: string; input: Record<string, string> }[] = [];
  /** Told when a replayed rollback's deployment turns out to be one the recording shows. */
  onRenamed: (service: string, from: string, to: string) => void = () => undefined;

  /**
   * @param stateFiles `describe-services` and `describe-task-definition` outputs, any mix
   * @param recording the recorded events, read ahead only for the tasks RunTask started
   * @param now the replay's clock, for the deployments replayed rollbacks start
   */
  constructor(
    stateFiles: readonly unknown[],
    recording: readonly HarbormasterEvent[] = [],
    now: () => Date = () => new Date(0),
  ) {
    for (const file of stateFiles) {
      const { services, missing } = servicesOf(file);
      for (const json of services) {
        const service = toServiceState(json);
        const name = key(clusterName(service.clusterArn), service.serviceName);
        this.#services.set(name, service);
        this.#serviceFiles.set(name, json);
      }
      for (const name of missing) this.#missing.add(name);
      this.#taskDefinitions.addStateFile(file);
    }
    this.launches = new RecordedLaunches(recording);
    this.#now = now;
  }

  /** Whether a state file describes the service (or lists it MISSING). */
  knows(cluster: string, service: string): boolean {
    return this.#services.has(key(cluster, service)) || this.#missing.has(key(cluster, service));
  }

  /** The service's describe-services JSON as given (the breaker's configuration is read from it). */
  serviceFile(cluster: string, service: string): ServiceJson | undefined {
    return this.#serviceFiles.get(key(cluster, service));
  }

  /** The service as the replay sees it now (no copy, no error when unknown), for summaries. */
  peek(cluster: string, service: string): ServiceState | undefined {
    return this.#services.get(key(cluster, service));
  }

  /** A deployment of the service, current or replaced, for summaries. */
  deployment(cluster: string, service: string, id: string): DeploymentState | undefined {
    return (
      this.#services.get(key(cluster, service))?.deployments.find((d) => d.id === id) ??
      this.#retired.get(id)
    );
  }

  /** Why a recorded event did not happen in the replayed world (after a replayed rollback), if so. */
  divergence(event: HarbormasterEvent): string | undefined {
    if (event.kind !== 'deployment-state-change') return undefined;
    return this.#rollbacks.divergence(key(event.subject.cluster, event.subject.service), event);
  }

  /** Brings the recorded state forward with what an event shows. */
  observe(event: HarbormasterEvent): void {
    if (event.kind === 'deployment-state-change') this.#deployment(event);
    if (event.kind === 'task-state-change') this.#task(event);
    this.#taskDefinitions.observe(event);
  }

  #deployment(event: DeploymentEvent): void {
    const { cluster, service: name } = event.subject;
    const { eventName, deploymentId, updatedAt, reason } = event.raw.detail;
    const service = this.#services.get(key(cluster, name));
    if (!service) return;
    const at = new Date(updatedAt);
    let deployment = service.deployments.find((d) => d.id === deploymentId);
    if (eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS') {
      if (!deployment) {
        const adopted = this.#rollbacks.adopt(key(cluster, name), event);
        deployment = adopted && service.deployments.find((d) => d.id === adopted.id);
        if (deployment && adopted) {
          deployment.id = deploymentId;
          this.onRenamed(key(cluster, name), adopted.id, deploymentId);
        }
      }
      if (!deployment) {
        deployment = this.#retired.get(deploymentId) ?? {
          id: deploymentId,
          status: 'PRIMARY',
          // Known once a task of it is seen (a deployment event does not name its task definition).
          taskDefinition: '',
          desiredCount: service.desiredCount,
          runningCount: 0,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: reason,
          createdAt: at,
          updatedAt: at,
        };
        service.deployments.unshift(deployment);
      }
      for (const d of service.deployments)
        if (d !== deployment && d.status === 'PRIMARY') d.status = 'ACTIVE';
      Object.assign(deployment, { status: 'PRIMARY', rolloutState: 'IN_PROGRESS', updatedAt: at });
      if (ROLLING_BACK.test(reason ?? '')) deployment.rolloutStateReason = reason;
      if (deployment.taskDefinition) service.taskDefinition = deployment.taskDefinition;
      return;
    }
    if (!deployment) return;
    deployment.updatedAt = at;
    deployment.rolloutStateReason = reason;
    if (eventName === 'SERVICE_DEPLOYMENT_FAILED') deployment.rolloutState = 'FAILED';
    if (eventName === 'SERVICE_DEPLOYMENT_COMPLETED') {
      deployment.rolloutState = 'COMPLETED';
      deployment.status = 'PRIMARY';
      for (const d of service.deployments) if (d !== deployment) this.#retired.set(d.id, d);
      service.deployments = [deployment];
      if (deployment.taskDefinition) service.taskDefinition = deployment.taskDefinition;
    }
  }

  #task(event: EventOfKind<'task-state-change'>): void {
    if (!this.#tasks.observe(event.raw.detail)) return;
    const { cluster, service: name, deploymentId, taskDefinitionArn } = event.task;
    if (!name || !deploymentId || !taskDefinitionArn) return;
    const service = this.#services.get(key(cluster, name));
    const deployment = service?.deployments.find((d) => d.id === deploymentId);
    if (!service || !deployment || deployment.taskDefinition) return;
    deployment.taskDefinition = taskDefinitionArn;
    if (deployment.status === 'PRIMARY') service.taskDefinition = taskDefinitionArn;
  }

  #described(cluster: string, service: string): ServiceState | undefined {
    const found = this.#services.get(key(cluster, service));
    if (found) return found;
    if (this.#missing.has(key(cluster, service))) return undefined;
    throw noServiceState(cluster, service);
  }

  async describeService(cluster: string, service: string): Promise<ServiceState | undefined> {
    const found = this.#described(cluster, service);
    return found ? structuredClone(found) : undefined;
  }

  async listTasks(cluster: string, filter: TaskListFilter, options: TaskListOptions = {}) {
    return this.#tasks.list(cluster, filter, options.limit);
  }

  async describeTasks(_cluster: string, taskArns: readonly string[]) {
    return this.#tasks.describe(taskArns);
  }

  async stopTask(cluster: string, taskArn: string, reason: string) {
    this.requests.push({ operation: 'StopTask', input: { cluster, taskArn, reason } });
    return 'stopping' as const;
  }

  async describeTaskDefinition(taskDefinition: string) {
    return this.#taskDefinitions.find(taskDefinition);
  }

  async describeServiceConfiguration(
    cluster: string,
    service: string,
  ): Promise<ServiceDocument | undefined> {
    if (!this.#described(cluster, service)) return undefined;
    const json = this.#serviceFiles.get(key(cluster, service));
    return json ? toServiceDocument(structuredClone(json) as Service) : undefined;
  }

  async tagResource(resourceArn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const input = { resourceArn, tags: JSON.stringify(tags) };
    this.requests.push({ operation: 'TagResource', input });
  }

  async runTask(request: RunTaskRequest): Promise<RunTaskResult> {
    const { spec, count, startedBy, clientToken } = request;
    const input = { cluster: spec.cluster, count: String(count), startedBy, clientToken };
    this.requests.push({ operation: 'RunTask', input });
    return this.launches.runTask(request);
  }

  async deregisterTaskDefinition(taskDefinition: string): Promise<DeregisterOutcome> {
    this.requests.push({ operation: 'DeregisterTaskDefinition', input: { taskDefinition } });
    return 'deregistered';
  }

  /** UpdateService: a changed task definition starts a deployment at once, as DescribeServices shows it live. */
  async updateServiceTaskDefinition(
    cluster: string,
    service: string,
    taskDefinition: string,
  ): Promise<ServiceUpdate> {
    this.requests.push({ operation: 'UpdateService', input: { cluster, service, taskDefinition } });
    const recorded = this.#described(cluster, service);
    if (!recorded) return { deploymentId: undefined, taskDefinition };
    const primary = recorded.deployments.find((d) => d.status === 'PRIMARY');
    // ECS starts a deployment only when the task definition changes.
    if ((primary?.taskDefinition || recorded.taskDefinition) === taskDefinition)
      return { deploymentId: primary?.id, taskDefinition };
    const started = this.#rollbacks.start(
      key(cluster, service),
      recorded,
      taskDefinition,
      this.#now(),
    );
    return { deploymentId: started, taskDefinition };
  }
}

export { RecordedEcs };
