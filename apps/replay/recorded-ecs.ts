import type { Service } from '@aws-sdk/client-ecs';
import { toServiceState } from '#aws/ecs/mapping.ts';
import type {
  DeregisterOutcome,
  EcsPort,
  RunTaskRequest,
  RunTaskResult,
  ServiceUpdate,
  TaskListFilter,
} from '#aws/ecs/port.ts';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import { toServiceDocument } from '#aws/ecs/service-document.ts';
import type { DeploymentState, ServiceState, TaskState } from '#aws/ecs/state.ts';
import { RecordedLaunches } from '#batch/recorded-launches.ts';
import { clusterName } from '#kernel/events/arn.ts';
import type { EventOfKind, HarbormasterEvent } from '#kernel/events/parse.ts';
import { RecordedTaskDefinitions } from '#policies/recorded-task-definitions.ts';

type ServiceJson = Parameters<typeof toServiceState>[0];

const ROLLING_BACK = /rolling back to deploymentId/i;

const key = (cluster: string, service: string): string => `${cluster}/${service}`;

/** The services of `aws ecs describe-services` output (or a bare list, or one service). */
const servicesOf = (stateFile: unknown): ServiceJson[] => {
  const isService = (s: unknown) => typeof (s as ServiceJson | undefined)?.serviceArn === 'string';
  if (Array.isArray(stateFile)) return stateFile.filter(isService) as ServiceJson[];
  const state = stateFile as { services?: ServiceJson[] } | undefined;
  if (Array.isArray(state?.services)) return state.services.filter(isService);
  return isService(stateFile) ? [stateFile as ServiceJson] : [];
};

/**
 * ECS as a recording shows it: services from `aws ecs describe-services` output and revisions from
 * `describe-task-definition` output, brought forward by the recorded events (deployments started,
 * completed, failed, rolled back by ECS; tasks stopped; revisions registered). It answers the
 * EcsPort reads offline, so a replay runs every function's own load and decide; calls that would
 * change ECS are recorded, a rollback points the service at its target so that the deployment it
 * starts gets that task definition, and RunTask is answered with the tasks the recording shows.
 */
class RecordedEcs implements EcsPort {
  readonly #services = new Map<string, ServiceState>();
  /** The services as the state file describes them, for the configuration policies read. */
  readonly #serviceFiles = new Map<string, ServiceJson>();
  /** Deployments that left DescribeServices (replaced), kept for a rollback by ECS to them. */
  readonly #retired = new Map<string, DeploymentState>();
  readonly #tasks = new Map<string, TaskState>();
  /** A rollback's target, for the deployment it starts (the recording names its id, not its task definition). */
  readonly #rollbackTargets = new Map<string, string>();
  readonly #taskDefinitions = new RecordedTaskDefinitions();
  readonly launches: RecordedLaunches;
  /** Calls that would have changed ECS, in order. */
  readonly requests: { operation: string; input: Record<string, string> }[] = [];

  /**
   * @param stateFiles `describe-services` and `describe-task-definition` outputs, any mix
   * @param recording the recorded events, read ahead only for the tasks RunTask started
   */
  constructor(stateFiles: readonly unknown[], recording: readonly HarbormasterEvent[] = []) {
    for (const file of stateFiles) {
      for (const json of servicesOf(file)) {
        const service = toServiceState(json);
        this.#services.set(key(clusterName(service.clusterArn), service.serviceName), service);
        this.#serviceFiles.set(key(clusterName(service.clusterArn), service.serviceName), json);
      }
      this.#taskDefinitions.addStateFile(file);
    }
    this.launches = new RecordedLaunches(recording);
  }

  /** Brings the recorded state forward with what an event shows. */
  observe(event: HarbormasterEvent): void {
    if (event.kind === 'deployment-state-change') this.#deployment(event);
    if (event.kind === 'task-state-change') this.#task(event);
    this.#taskDefinitions.observe(event);
  }

  #service(cluster: string, name: string, arn: string): ServiceState {
    const existing = this.#services.get(key(cluster, name));
    if (existing) return existing;
    // Not in the state file: what the events show, with ECS's defaults for the rest.
    const created: ServiceState = {
      serviceArn: arn,
      serviceName: name,
      clusterArn: cluster,
      status: 'ACTIVE',
      taskDefinition: '',
      desiredCount: 0,
      runningCount: 0,
      launchType: undefined,
      deploymentController: 'ECS',
      strategy: undefined,
      circuitBreaker: undefined,
      alarms: undefined,
      deployments: [],
      tags: {},
    };
    this.#services.set(key(cluster, name), created);
    return created;
  }

  #deployment(event: EventOfKind<'deployment-state-change'>): void {
    const { cluster, service: name, serviceArn } = event.subject;
    const { eventName, deploymentId, updatedAt, reason } = event.raw.detail;
    const service = this.#service(cluster, name, serviceArn);
    const at = new Date(updatedAt);
    let deployment = service.deployments.find((d) => d.id === deploymentId);
    if (eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS') {
      if (!deployment) {
        deployment = this.#retired.get(deploymentId) ?? {
          id: deploymentId,
          status: 'PRIMARY',
          // Known from the rollback that started it, or once a task of it is seen.
          taskDefinition: this.#rollbackTargets.get(key(cluster, name)) ?? '',
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
        this.#rollbackTargets.delete(key(cluster, name));
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
    const detail = event.raw.detail;
    const arn = event.task.taskArn;
    const seen = this.#tasks.get(arn);
    if (seen && (seen.version ?? 0) > (detail.version ?? 0)) return;
    this.#tasks.set(arn, detail);
    const { cluster, service: name, deploymentId, taskDefinitionArn } = event.task;
    if (!name || !deploymentId || !taskDefinitionArn) return;
    const service = this.#services.get(key(cluster, name));
    const deployment = service?.deployments.find((d) => d.id === deploymentId);
    if (deployment && !deployment.taskDefinition) deployment.taskDefinition = taskDefinitionArn;
  }

  async describeService(cluster: string, service: string): Promise<ServiceState | undefined> {
    const found = this.#services.get(key(cluster, service));
    return found ? structuredClone(found) : undefined;
  }

  async listTasks(cluster: string, filter: TaskListFilter): Promise<string[]> {
    return [...this.#tasks.values()]
      .filter((t) => clusterName(t.clusterArn) === cluster)
      .filter((t) => !filter.startedBy || t.startedBy === filter.startedBy)
      .filter((t) => !filter.serviceName || t.group === `service:${filter.serviceName}`)
      .filter((t) => (filter.desiredStatus ?? 'RUNNING') === (t.desiredStatus ?? t.lastStatus))
      .map((t) => t.taskArn ?? '');
  }

  async describeTasks(_cluster: string, taskArns: readonly string[]): Promise<TaskState[]> {
    return taskArns.flatMap((arn) => {
      const task = this.#tasks.get(arn);
      return task ? [structuredClone(task)] : [];
    });
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
    const json = this.#serviceFiles.get(key(cluster, service));
    return json ? toServiceDocument(structuredClone(json) as Service) : undefined;
  }

  async tagResource(resourceArn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    this.requests.push({
      operation: 'TagResource',
      input: { resourceArn, tags: JSON.stringify(tags) },
    });
  }

  async runTask(request: RunTaskRequest): Promise<RunTaskResult> {
    this.requests.push({
      operation: 'RunTask',
      input: {
        cluster: request.spec.cluster,
        count: String(request.count),
        startedBy: request.startedBy,
        clientToken: request.clientToken,
      },
    });
    return this.launches.runTask(request);
  }

  async deregisterTaskDefinition(taskDefinition: string): Promise<DeregisterOutcome> {
    this.requests.push({ operation: 'DeregisterTaskDefinition', input: { taskDefinition } });
    return 'deregistered';
  }

  async updateServiceTaskDefinition(
    cluster: string,
    service: string,
    taskDefinition: string,
  ): Promise<ServiceUpdate> {
    this.requests.push({ operation: 'UpdateService', input: { cluster, service, taskDefinition } });
    const recorded = this.#services.get(key(cluster, service));
    if (recorded && recorded.taskDefinition !== taskDefinition) {
      recorded.taskDefinition = taskDefinition;
      this.#rollbackTargets.set(key(cluster, service), taskDefinition);
    }
    // The deployment it starts appears in the recording's next IN_PROGRESS event.
    return { deploymentId: undefined, taskDefinition };
  }
}

export { RecordedEcs };
