import type { ServiceDeploymentState } from '#aws/ecs/service-deployment-state.ts';
import { classifyFailure } from '#kernel/failures.ts';
import { resolveAnalysis } from './analysis/measure.ts';
import { type MetricReading, planMeasurements } from './analysis/plan.ts';
import { comparisonTargets } from './analysis/targets.ts';
import type { DeliveryConfig } from './config.ts';
import { currentRun, isFirstDeployment, passedAt, shareAt } from './gates/run.ts';
import { type HookInvocation, invocationOf } from './hook/invocation.ts';
import type { DeliveryPorts } from './ports.ts';
import { resolveDeliverySettings } from './settings.ts';
import type {
  AnalysisGateState,
  DeliveryEvent,
  DeliveryState,
  HookState,
  PolicyGateState,
} from './state.ts';

type Event<K> = Extract<DeliveryEvent, { kind: K }>;

const ANALYSIS_STAGES = new Set([
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
]);

/** Green's task definition and the service as green will run it: the policy gate's subject. */
const loadPolicyGate = async (
  ports: DeliveryPorts,
  inv: HookInvocation,
  service: PolicyGateState['service'],
): Promise<PolicyGateState> => {
  const [revision] = await ports.serviceDeployments.describeRevisions([inv.greenArn]);
  const taskDefinition = revision?.taskDefinition
    ? await ports.ecs.describeTaskDefinition(revision.taskDefinition)
    : undefined;
  // The revision holds green's own settings; the service holds the rest (its deployment configuration).
  const asGreen =
    service && revision
      ? {
          ...service,
          taskDefinition: revision.taskDefinition,
          ...definedOf(revision.configuration),
        }
      : service;
  return { revision, taskDefinition, service: asGreen };
};

const definedOf = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The blue revision: the source ECS names, else the other revision the weights name. */
const blueOf = (inv: HookInvocation, deployment: ServiceDeploymentState | undefined) =>
  deployment?.source
    .filter((s) => s.arn !== inv.greenArn)
    .sort(
      (a, b) =>
        (b.requestedProductionTrafficWeight ?? 0) - (a.requestedProductionTrafficWeight ?? 0),
    )[0]?.arn ?? inv.blueArns[0];

/** The run, the targets, and the metrics of the intervals due now. */
const loadAnalysisGate = async (
  ports: DeliveryPorts,
  state: HookState,
): Promise<AnalysisGateState> => {
  const { invocation: inv, deployment, progress, asOf, settings } = state;
  const share = shareAt(inv, deployment);
  const run = currentRun(inv, progress, share, asOf);
  const blueArn = blueOf(inv, deployment);
  const revisions = await ports.serviceDeployments.describeRevisions(
    blueArn ? [inv.greenArn, blueArn] : [inv.greenArn],
  );
  const find = (arn: string) => revisions.find((r) => r.arn === arn);
  const { green, blue } = comparisonTargets(
    { arn: inv.greenArn, revision: find(inv.greenArn) },
    blueArn ? { arn: blueArn, revision: find(blueArn) } : undefined,
  );
  const plan = planMeasurements({
    analyses: settings.analysisGate.analyses.map(resolveAnalysis),
    progress: run.analyses,
    startedAt: new Date(run.startedAt),
    asOf,
    dataDelaySeconds: settings.analysisGate.dataDelaySeconds,
    green,
    blue,
    where: { cluster: inv.cluster, service: inv.service },
  });
  let reading: MetricReading = { points: {} };
  try {
    for (const request of plan.requests) {
      const points = await ports.metrics.read(request);
      reading = { points: { ...(reading as { points: object }).points, ...points } };
    }
  } catch (error) {
    // A measurement that could not be taken counts as an error (Argo's consecutiveErrorLimit).
    const failure = classifyFailure(error);
    reading = { error: `${failure.name}: ${failure.message}` };
  }
  return {
    share,
    run,
    green,
    blue,
    greenTaskDefinition: find(inv.greenArn)?.taskDefinition,
    reading,
  };
};

const loadHook = async (
  event: Event<'lifecycle-hook'>,
  ports: DeliveryPorts,
  config: DeliveryConfig,
): Promise<HookState> => {
  const invocation = invocationOf(event);
  const { cluster, service, deploymentId } = invocation;
  const asOf = ports.clock();
  const base: HookState = {
    kind: 'hook',
    invocation,
    asOf,
    settings: resolveDeliverySettings(config, cluster, service, {}),
    deployment: undefined,
    progress: undefined,
    policy: undefined,
    analysis: undefined,
  };
  // A rollback is let through whatever ECS and the table say: nothing to read.
  if (invocation.rollingBack) return base;
  // A failure is thrown: the answer contract answers IN_PROGRESS to one a retry may get past,
  // after the pipeline reported one it may not (a missing permission), and ECS invokes again.
  {
    const configuration = await ports.ecs.describeServiceConfiguration(cluster, service);
    const tags = Object.fromEntries(
      (configuration?.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']),
    );
    const settings = resolveDeliverySettings(config, cluster, service, tags);
    const [deployment] = await ports.serviceDeployments.describe([invocation.deploymentArn]);
    const progress = await ports.deliveryStore.progress(cluster, service, deploymentId);
    const state: HookState = { ...base, settings, deployment, progress };
    if (invocation.stage === 'PRE_SCALE_UP' && settings.policyGate.mode !== 'off')
      return { ...state, policy: await loadPolicyGate(ports, invocation, configuration) };
    const judges =
      ANALYSIS_STAGES.has(invocation.stage) &&
      settings.analysisGate.mode !== 'off' &&
      !isFirstDeployment(invocation, deployment) &&
      !passedAt(progress, shareAt(invocation, deployment));
    if (judges) return { ...state, analysis: await loadAnalysisGate(ports, state) };
    return state;
  }
};

/**
 * Loads what the hook function decides on. A hook invocation: the service's tags (the gates'
 * modes), the deployment, its progress, and what the gate of the stage reads. A Hook State
 * Change: the deployment (the hook's timeout action) and what the gates found so far.
 */
const loadDeliveryState = async (
  event: DeliveryEvent,
  ports: DeliveryPorts,
  config: { delivery: DeliveryConfig },
): Promise<DeliveryState> => {
  if (event.kind === 'lifecycle-hook') return loadHook(event, ports, config.delivery);
  const { cluster, service, id, arn } = event.deployment;
  const [deployment] = await ports.serviceDeployments.describe([arn]);
  const progress = await ports.deliveryStore.progress(cluster, service, id);
  return { kind: 'hook-state-change', deployment, progress };
};

export { loadDeliveryState };
