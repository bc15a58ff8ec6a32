import type {
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevision,
  ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import { toDate } from './mapping.ts';

/**
 * Service deployments and revisions (the blue/green, linear and canary strategies' view of a
 * deployment) in Harbormaster's terms. The mappers accept the SDK's objects and the JSON of
 * `aws ecs describe-service-deployments` alike (timestamps as Date, ISO string or epoch seconds).
 */

/** A revision's part in a deployment: task counts and the requested traffic weights (0-100). */
interface RevisionSummaryState {
  arn: string;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
  requestedTestTrafficWeight: number | undefined;
  requestedProductionTrafficWeight: number | undefined;
}

/** A lifecycle hook of a deployment as DescribeServiceDeployments reports it. */
interface LifecycleHookState {
  hookId: string;
  targetType: string | undefined;
  targetArn: string | undefined;
  status: string | undefined;
  expiresAt: Date | undefined;
  timeoutAction: string | undefined;
}

/** A service deployment as DescribeServiceDeployments reports it. */
interface ServiceDeploymentState {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  /** PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED. */
  status: string;
  statusReason: string | undefined;
  lifecycleStage: string | undefined;
  createdAt: Date | undefined;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  updatedAt: Date | undefined;
  /** The revisions running before (blue); empty on a service's first deployment. */
  source: RevisionSummaryState[];
  target: RevisionSummaryState | undefined;
  hooks: LifecycleHookState[];
  strategy: string | undefined;
  bakeTimeInMinutes: number | undefined;
  canary: { percent: number | undefined; bakeTimeInMinutes: number | undefined } | undefined;
  linear:
    | { stepPercent: number | undefined; stepBakeTimeInMinutes: number | undefined }
    | undefined;
  rollback: { reason: string | undefined; startedAt: Date | undefined } | undefined;
  alarms: { status: string | undefined; triggered: string[] } | undefined;
}

/** A deployment as ListServiceDeployments lists it. */
interface ServiceDeploymentBriefState {
  arn: string;
  status: string;
  statusReason: string | undefined;
  createdAt: Date | undefined;
  finishedAt: Date | undefined;
  targetRevisionArn: string | undefined;
}

/** The load balancing a revision declares, and which target group it resolved to. */
interface RevisionLoadBalancerState {
  targetGroupArn: string | undefined;
  alternateTargetGroupArn: string | undefined;
  productionListenerRule: string | undefined;
  testListenerRule: string | undefined;
}

/** A service revision as DescribeServiceRevisions reports it. */
interface ServiceRevisionState {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  createdAt: Date | undefined;
  /** The revision's configuration, for policies (network, launch type, capacity providers). */
  configuration: Pick<
    ServiceRevision,
    'launchType' | 'capacityProviderStrategy' | 'platformVersion' | 'networkConfiguration'
  >;
  loadBalancers: RevisionLoadBalancerState[];
  /** The target group each load balancer serves this revision from (set while it is ACTIVE). */
  resolvedLoadBalancers: {
    targetGroupArn: string | undefined;
    productionListenerRule: string | undefined;
  }[];
}

type Timestamp = Date | string | number | undefined;
type Loose<T> = { [K in keyof T]?: T[K] extends Date | undefined ? Timestamp : T[K] };

const summaryOf = (s: Loose<ServiceRevisionSummary>): RevisionSummaryState => ({
  arn: s.arn ?? '',
  requestedTaskCount: s.requestedTaskCount ?? 0,
  runningTaskCount: s.runningTaskCount ?? 0,
  pendingTaskCount: s.pendingTaskCount ?? 0,
  requestedTestTrafficWeight: s.requestedTestTrafficWeight,
  requestedProductionTrafficWeight: s.requestedProductionTrafficWeight,
});

const toServiceDeploymentState = (
  d: Loose<
    Omit<
      ServiceDeployment,
      'sourceServiceRevisions' | 'targetServiceRevision' | 'lifecycleHookDetails' | 'rollback'
    >
  > & {
    sourceServiceRevisions?: Loose<ServiceRevisionSummary>[];
    targetServiceRevision?: Loose<ServiceRevisionSummary>;
    lifecycleHookDetails?: {
      hookId?: string;
      targetType?: string;
      targetArn?: string;
      status?: string;
      expiresAt?: Timestamp;
      timeoutAction?: string;
    }[];
    rollback?: { reason?: string; startedAt?: Timestamp; serviceRevisionArn?: string };
  },
): ServiceDeploymentState => {
  const config = d.deploymentConfiguration;
  return {
    arn: d.serviceDeploymentArn ?? '',
    serviceArn: d.serviceArn ?? '',
    clusterArn: d.clusterArn ?? '',
    status: d.status ?? '',
    statusReason: d.statusReason,
    lifecycleStage: d.lifecycleStage,
    createdAt: toDate(d.createdAt),
    startedAt: toDate(d.startedAt),
    finishedAt: toDate(d.finishedAt),
    updatedAt: toDate(d.updatedAt),
    source: (d.sourceServiceRevisions ?? []).map(summaryOf),
    target: d.targetServiceRevision ? summaryOf(d.targetServiceRevision) : undefined,
    hooks: (d.lifecycleHookDetails ?? []).map((h) => ({
      hookId: h.hookId ?? '',
      targetType: h.targetType,
      targetArn: h.targetArn,
      status: h.status,
      expiresAt: toDate(h.expiresAt),
      timeoutAction: h.timeoutAction,
    })),
    strategy: config?.strategy,
    bakeTimeInMinutes: config?.bakeTimeInMinutes,
    canary: config?.canaryConfiguration
      ? {
          percent: config.canaryConfiguration.canaryPercent,
          bakeTimeInMinutes: config.canaryConfiguration.canaryBakeTimeInMinutes,
        }
      : undefined,
    linear: config?.linearConfiguration
      ? {
          stepPercent: config.linearConfiguration.stepPercent,
          stepBakeTimeInMinutes: config.linearConfiguration.stepBakeTimeInMinutes,
        }
      : undefined,
    rollback: d.rollback
      ? { reason: d.rollback.reason, startedAt: toDate(d.rollback.startedAt) }
      : undefined,
    alarms: d.alarms
      ? { status: d.alarms.status, triggered: d.alarms.triggeredAlarmNames ?? [] }
      : undefined,
  };
};

const toServiceDeploymentBrief = (
  b: Loose<ServiceDeploymentBrief>,
): ServiceDeploymentBriefState => ({
  arn: b.serviceDeploymentArn ?? '',
  status: b.status ?? '',
  statusReason: b.statusReason,
  createdAt: toDate(b.createdAt),
  finishedAt: toDate(b.finishedAt),
  targetRevisionArn: b.targetServiceRevisionArn,
});

const toServiceRevisionState = (r: Loose<ServiceRevision>): ServiceRevisionState => ({
  arn: r.serviceRevisionArn ?? '',
  serviceArn: r.serviceArn ?? '',
  clusterArn: r.clusterArn ?? '',
  taskDefinition: r.taskDefinition ?? '',
  createdAt: toDate(r.createdAt),
  configuration: {
    launchType: r.launchType,
    capacityProviderStrategy: r.capacityProviderStrategy,
    platformVersion: r.platformVersion,
    networkConfiguration: r.networkConfiguration,
  },
  loadBalancers: (r.loadBalancers ?? []).map((lb) => ({
    targetGroupArn: lb.targetGroupArn,
    alternateTargetGroupArn: lb.advancedConfiguration?.alternateTargetGroupArn,
    productionListenerRule: lb.advancedConfiguration?.productionListenerRule,
    testListenerRule: lb.advancedConfiguration?.testListenerRule,
  })),
  resolvedLoadBalancers: (r.resolvedConfiguration?.loadBalancers ?? []).map((lb) => ({
    targetGroupArn: lb.targetGroupArn,
    productionListenerRule: lb.productionListenerRule,
  })),
});

/** Statuses in which ECS still works on a deployment (service-deployment.html: "Ongoing" and "Pending"). */
const ONGOING_STATUSES = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

/** Statuses of a deployment ECS is rolling back (or has been asked to). */
const ROLLING_BACK_STATUSES = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

export {
  type LifecycleHookState,
  ONGOING_STATUSES,
  type RevisionLoadBalancerState,
  type RevisionSummaryState,
  ROLLING_BACK_STATUSES,
  type ServiceDeploymentBriefState,
  type ServiceDeploymentState,
  type ServiceRevisionState,
  toServiceDeploymentBrief,
  toServiceDeploymentState,
  toServiceRevisionState,
};
