import { alertsSection } from '#alerts/config.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';
import { wireAlerts } from '#alerts/wire.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { taskDefinitionReads } from '#aws/ecs/task-definition-reads.ts';
import { wireEcs, wireServiceDeployments } from '#aws/ecs/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import { hookAnswerContract } from '#delivery/actions/answer-hook.ts';
import {
  type DeliveryAction,
  deliveryAlertRenderers,
  deliveryRunners,
} from '#delivery/actions/index.ts';
import { screenHookChange } from '#delivery/approvals/decide.ts';
import { deliverySection } from '#delivery/config.ts';
import { decideDelivery } from '#delivery/decide.ts';
import { loadDeliveryState } from '#delivery/load.ts';
import type { DeliveryPorts } from '#delivery/ports.ts';
import type { DeliveryEvent, DeliveryState } from '#delivery/state.ts';
import { wireDeliveryStore, wireMetrics } from '#delivery/wire.ts';
import { deploymentGuardSection } from '#guard/config.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import type {
  EventContext,
  FunctionConfig,
  FunctionDefinition,
} from '#kernel/function-definition.ts';
import { enforcementSection, policiesSection } from '#policies/config.ts';

// The policy gate evaluates the enforcer's policies (and the guard's settings, for its rule).
const sections = {
  aws: awsSection,
  alerts: alertsSection,
  delivery: deliverySection,
  policies: policiesSection,
  enforcement: enforcementSection,
  deploymentGuard: deploymentGuardSection,
};

const contextOf = (event: DeliveryEvent): EventContext => {
  const { cluster, service, id } = event.deployment;
  const subject = {
    account: event.meta.account,
    region: event.meta.region,
    cluster,
    service,
    deploymentId: id,
  };
  if (event.kind === 'lifecycle-hook') {
    return {
      subject,
      eventId: event.meta.id,
      summary: `ECS lifecycle hook ${event.raw.lifecycleStage} ${cluster}/${service} deployment ${id}`,
      consequence: `The gate at ${event.raw.lifecycleStage} did not judge deployment ${id} of ${cluster}/${service}; the hook answers IN_PROGRESS until its timeout.`,
    };
  }
  const d = event.raw.detail;
  return {
    subject,
    eventId: event.meta.id,
    summary: `ECS Hook State Change ${d.eventName} ${cluster}/${service} deployment ${id}`,
    consequence: `Nobody was told that deployment ${id} of ${cluster}/${service} is paused at ${d.lifecycleStage} (${d.eventName}).`,
  };
};

/**
 * The lifecycle hook function ECS invokes during blue/green, linear and canary deployments: the
 * policy gate at PRE_SCALE_UP, the analysis gate (green's target group against blue's) at the
 * traffic stages, every verdict alerted in the deployment's thread. It also alerts pause hooks
 * waiting for approval (ECS Hook State Change). It answers every invocation, in time, with a
 * hookStatus: a failure it could retry answers IN_PROGRESS, never an error (an error rolls back).
 */
const deploymentHooks: FunctionDefinition<
  DeliveryEvent,
  DeliveryState,
  FunctionConfig<typeof sections>,
  DeliveryPorts & AlertPorts,
  DeliveryAction
> = {
  name: 'deployment-hooks',
  reads: [
    'ecs:DescribeServices',
    'ecs:DescribeServiceDeployments',
    'ecs:DescribeServiceRevisions',
    'ecs:DescribeTaskDefinition',
    'cloudwatch:GetMetricData',
    'dynamodb:GetItem',
  ],
  configSections: sections,
  runners: { ...deliveryRunners, notify: notifyRunner(deliveryAlertRenderers) },
  parse: (raw) => parseEventOf(raw, ['lifecycle-hook', 'hook-state-change']),
  context: contextOf,
  screen: (event) => (event.kind === 'hook-state-change' ? screenHookChange(event) : undefined),
  load: loadDeliveryState,
  decide: decideDelivery,
  wire: async (runtime) => ({
    ecs: wireEcs(runtime, [serviceReads, taskDefinitionReads]),
    serviceDeployments: wireServiceDeployments(runtime),
    metrics: wireMetrics(runtime),
    deliveryStore: wireDeliveryStore(runtime),
    clock: runtime.now,
    ...(await wireAlerts(runtime)),
    leases: wireLeaseStore(runtime),
  }),
  answer: hookAnswerContract,
};

export { deploymentHooks };
