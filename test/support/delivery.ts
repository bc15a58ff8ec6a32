import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertPorts } from '#alerts/notify.ts';
import {
  type ServiceDeploymentState,
  type ServiceRevisionState,
  toServiceDeploymentState,
  toServiceRevisionState,
} from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { ServiceDocument } from '#aws/ecs/service-document.ts';
import type { TaskDefinitionState } from '#aws/ecs/state.ts';
import { parseConfig } from '#config/parse.ts';
import type { ConfigInput } from '#config/schema.ts';
import { hookAnswerContract } from '#delivery/actions/answer-hook.ts';
import type { MetricPoints, MetricQuery } from '#delivery/analysis/model.ts';
import type { MetricRequest } from '#delivery/analysis/plan.ts';
import type { DeliveryDecisionConfig } from '#delivery/decide.ts';
import { MemoryDeliveryStore } from '#delivery/memory-store.ts';
import type { DeliveryPorts, MetricsPort } from '#delivery/ports.ts';
import { deploymentHooks } from '#functions/deployment-hooks/definition.ts';
import { invoke } from '#kernel/invoke.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { fakePorts, RecordingChannel, recordingTelemetry } from './fakes.ts';

/** The folder of lifecycle hook and service deployment fixtures (see its SOURCES.md). */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'delivery');

type Json = Record<string, unknown>;

/** A fresh copy of a delivery fixture. */
const deliveryFixture = (name: string): Json =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Json;

// The deployment of the lambda-lifecycle-hooks.html examples.
const ACCOUNT = '123456789012';
const REGION = 'us-west-2';
const DEPLOYMENT_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/my-cluster/my-service/EZe5RNVLH6PPzHXINuP28`;
const GREEN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/my-cluster/my-service/9313423515462893900`;
const BLUE = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/my-cluster/my-service/1920498462936580504`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/my-cluster/my-service`;
const ELB = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
const GREEN_TG = `${ELB}:targetgroup/my-service-green/0a1b2c3d4e5f6a7b`;
const BLUE_TG = `${ELB}:targetgroup/my-service-blue/7b6a5f4e3d2c1b0a`;
const RULE = `${ELB}:listener-rule/app/my-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
const GREEN_TD = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/my-app:8`;
const BLUE_TD = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/my-app:7`;

/** A hook invocation fixture with fields changed (undefined deletes one). */
const hookEvent = (name: string, changes: Json = {}): Json => {
  const event = { ...deliveryFixture(name), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete event[key];
  return event;
};

/** A hook invocation with its production weights changed (green's share before a step). */
const atShare = (name: string, share: number, changes: Json = {}): Json => {
  const event = hookEvent(name, changes);
  const details = event.executionDetails as Json;
  return {
    ...event,
    executionDetails: {
      ...details,
      productionTrafficWeights: { [GREEN]: share, [BLUE]: 100 - share },
    },
  };
};

/**
 * The docs' deployment as DescribeServiceDeployments describes it, derived from the SDK's paused
 * example with the docs' ARNs: green the target, blue the source, in progress.
 */
const deploymentOf = (overrides: Partial<ServiceDeploymentState> = {}): ServiceDeploymentState => {
  const sdk = (
    deliveryFixture('describe-service-deployments-paused-sdk').serviceDeployments as Json[]
  )[0] as Json;
  const base = toServiceDeploymentState({
    ...sdk,
    serviceDeploymentArn: DEPLOYMENT_ARN,
    serviceArn: SERVICE_ARN,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/my-cluster`,
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    lifecycleHookDetails: [],
    createdAt: '2026-11-21T09:00:00Z',
    targetServiceRevision: {
      arn: GREEN,
      requestedTaskCount: 2,
      runningTaskCount: 2,
      pendingTaskCount: 0,
    },
    sourceServiceRevisions: [
      { arn: BLUE, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
    ],
  } as Parameters<typeof toServiceDeploymentState>[0]);
  return { ...base, ...overrides };
};

/** A revision as DescribeServiceRevisions describes it (the SDK example), served from a target group. */
const revisionOf = (
  arn: string,
  taskDefinition: string,
  targetGroupArn: string | undefined,
): ServiceRevisionState => {
  const sdk = (
    deliveryFixture('describe-service-revisions-sdk').serviceRevisions as Json[]
  )[0] as Json;
  return toServiceRevisionState({
    ...sdk,
    serviceRevisionArn: arn,
    serviceArn: SERVICE_ARN,
    taskDefinition,
    loadBalancers: [
      {
        targetGroupArn: BLUE_TG,
        containerName: 'web',
        containerPort: 80,
        advancedConfiguration: { alternateTargetGroupArn: GREEN_TG, productionListenerRule: RULE },
      },
    ],
    ...(targetGroupArn
      ? {
          resolvedConfiguration: {
            loadBalancers: [{ targetGroupArn, productionListenerRule: RULE }],
          },
        }
      : {}),
  } as Parameters<typeof toServiceRevisionState>[0]);
};

/** ServiceDeploymentsPort over maps, recording its calls. */
class FakeServiceDeployments implements ServiceDeploymentsPort {
  readonly deployments = new Map<string, ServiceDeploymentState>();
  readonly revisions = new Map<string, ServiceRevisionState>();
  readonly calls: string[] = [];
  failWith: Error | undefined;

  async list() {
    this.calls.push('list');
    return [...this.deployments.values()].map((d) => ({
      arn: d.arn,
      status: d.status,
      statusReason: d.statusReason,
      createdAt: d.createdAt,
      finishedAt: d.finishedAt,
      targetRevisionArn: d.target?.arn,
    }));
  }
  async describe(arns: readonly string[]) {
    this.calls.push(`describe ${arns.length}`);
    if (this.failWith) throw this.failWith;
    return arns.flatMap((a) =>
      this.deployments.has(a)
        ? [structuredClone(this.deployments.get(a) as ServiceDeploymentState)]
        : [],
    );
  }
  async describeRevisions(arns: readonly string[]) {
    this.calls.push(`describeRevisions ${arns.length}`);
    return arns.flatMap((a) =>
      this.revisions.has(a) ? [structuredClone(this.revisions.get(a) as ServiceRevisionState)] : [],
    );
  }
  async stopWithRollback(arn: string) {
    this.calls.push(`stop ${arn}`);
  }
  async continueDeployment(arn: string, hookId: string, action: string) {
    this.calls.push(`continue ${arn} ${hookId} ${action}`);
  }
}

/** What one side's target group serves over one minute. */
interface Traffic {
  requests: number;
  errors: number;
  p99?: number;
  healthy?: number;
}

/**
 * MetricsPort answering the ALB target-group metrics from a traffic function per side and period
 * start, sparse as CloudWatch is: count metrics absent when zero, nothing without requests.
 */
class FakeMetrics implements MetricsPort {
  readonly requests: MetricRequest[] = [];
  failWith: Error | undefined;
  readonly traffic: (side: 'green' | 'blue', at: number) => Traffic | undefined;
  constructor(traffic: (side: 'green' | 'blue', at: number) => Traffic | undefined) {
    this.traffic = traffic;
  }

  async read(request: MetricRequest): Promise<MetricPoints> {
    this.requests.push(request);
    if (this.failWith) throw this.failWith;
    const points: MetricPoints = {};
    const step = request.periodSeconds * 1000;
    for (const q of request.queries) {
      points[q.id] = {};
      for (let t = request.start.getTime(); t < request.end.getTime(); t += step) {
        const value = this.valueOf(q, t);
        if (value !== undefined) (points[q.id] as Record<number, number>)[t] = value;
      }
    }
    return points;
  }

  valueOf(q: MetricQuery, at: number): number | undefined {
    const tg = q.metric?.dimensions.TargetGroup ?? '';
    const side = tg.includes('green') ? 'green' : tg.includes('blue') ? 'blue' : undefined;
    const traffic = side ? this.traffic(side, at) : undefined;
    if (!traffic || !q.metric) return undefined;
    switch (q.metric.name) {
      case 'RequestCount':
        return traffic.requests > 0 ? traffic.requests : undefined;
      case 'HTTPCode_Target_5XX_Count':
        return traffic.errors > 0 ? traffic.errors : undefined;
      case 'TargetResponseTime':
        return traffic.requests > 0 ? (traffic.p99 ?? 0.1) : undefined;
      case 'HealthyHostCount':
        return traffic.healthy ?? 2;
      default:
        return undefined;
    }
  }
}

/** The delivery configuration (every section the hook function reads). */
const deliveryConfig = (input: ConfigInput = {}): DeliveryDecisionConfig =>
  parseConfig(input, 'test') as unknown as DeliveryDecisionConfig;

/** The hook function's ports over fakes, with an SNS channel that records alerts. */
const hookWorld = (options: {
  now: Date;
  traffic?: FakeMetrics['traffic'];
  taskDefinitions?: Record<string, TaskDefinitionState>;
  service?: ServiceDocument;
}) => {
  const sns = new RecordingChannel('sns');
  const base = fakePorts({
    channels: [sns],
    ...(options.taskDefinitions ? { taskDefinitions: options.taskDefinitions } : {}),
    serviceConfigurations: [options.service ?? { serviceName: 'my-service', tags: [] }],
  });
  const serviceDeployments = new FakeServiceDeployments();
  serviceDeployments.deployments.set(DEPLOYMENT_ARN, deploymentOf());
  serviceDeployments.revisions.set(GREEN, revisionOf(GREEN, GREEN_TD, GREEN_TG));
  serviceDeployments.revisions.set(BLUE, revisionOf(BLUE, BLUE_TD, BLUE_TG));
  const metrics = new FakeMetrics(options.traffic ?? (() => ({ requests: 600, errors: 0 })));
  const deliveryStore = new MemoryDeliveryStore();
  let now = options.now;
  const ports: DeliveryPorts & AlertPorts = {
    ecs: base.ports.ecs,
    serviceDeployments,
    metrics,
    deliveryStore,
    clock: () => now,
    channels: [sns],
    leases: base.leases,
  };
  return {
    ports,
    sns,
    serviceDeployments,
    metrics,
    deliveryStore,
    ecsCalls: base.ecsCalls,
    setNow: (at: Date) => {
      now = at;
    },
    now: () => now,
  };
};

type HookWorld = ReturnType<typeof hookWorld>;

/** Invokes the hook function's definition on raw input and gives the answer ECS would read. */
const invokeHook = async (
  world: HookWorld,
  raw: unknown,
  config: DeliveryDecisionConfig = deliveryConfig(),
) => {
  const recorded = recordingTelemetry();
  const runtime = createRuntime({
    functionName: 'harbormaster-test-deployment-hooks',
    config: config as never,
    env: {},
    telemetry: recorded.telemetry,
    now: world.now,
  });
  // As the Lambda entry does: a thrown failure is answered with the contract's fallback.
  try {
    const result = await invoke(deploymentHooks, raw, runtime, world.ports);
    return {
      result,
      answer: hookAnswerContract.answer(raw, result) as Json,
      lines: recorded.lines,
    };
  } catch (error) {
    const reason = (error as Error).message;
    const result = { outcome: 'failed' as const, reason, actions: [] };
    return {
      result,
      answer: hookAnswerContract.fallback(raw, reason) as Json,
      lines: recorded.lines,
    };
  }
};

export {
  ACCOUNT,
  atShare,
  BLUE,
  BLUE_TD,
  BLUE_TG,
  DEPLOYMENT_ARN,
  deliveryConfig,
  deliveryFixture,
  deploymentOf,
  FakeMetrics,
  FakeServiceDeployments,
  GREEN,
  GREEN_TD,
  GREEN_TG,
  type HookWorld,
  hookEvent,
  hookWorld,
  invokeHook,
  type Json,
  REGION,
  RULE,
  revisionOf,
  SERVICE_ARN,
  type Traffic,
};
