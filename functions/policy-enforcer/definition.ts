import { alertsSection } from '#alerts/config.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';

import { wireAlerts } from '#alerts/wire.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { serviceUpdates } from '#aws/ecs/service-updates.ts';
import { taskDefinitionChanges } from '#aws/ecs/task-definition-changes.ts';
import { taskDefinitionReads } from '#aws/ecs/task-definition-reads.ts';
import { taskStops } from '#aws/ecs/task-stops.ts';
import { wireEcs } from '#aws/ecs/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import { deploymentGuardSection } from '#guard/config.ts';
import { wireGuardStore } from '#guard/wire.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import type { FunctionConfig, FunctionDefinition } from '#kernel/function-definition.ts';
import {
  type PolicyAction,
  type PolicyRunnerPorts,
  policyAlertRenderers,
  policyRunners,
} from '#policies/actions/index.ts';
import { enforcementSection, policiesSection } from '#policies/config.ts';
import type { PolicyEvent } from '#policies/enforcer/checkpoint.ts';
import { decidePolicies } from '#policies/enforcer/decide.ts';
import { loadPolicyState, type PolicyState } from '#policies/enforcer/load.ts';
import { cacheTaskDefinitions } from '#policies/task-definition-cache.ts';

// The guard's settings say whether the guard protects a service (the deployment-guard rule).
const sections = {
  aws: awsSection,
  alerts: alertsSection,
  enforcement: enforcementSection,
  policies: policiesSection,
  deploymentGuard: deploymentGuardSection,
};

const where = (event: PolicyEvent): { cluster?: string; service?: string; what: string } => {
  if (event.kind === 'task-state-change') {
    return { cluster: event.task.cluster, what: `task ${event.task.taskId}` };
  }
  const d = event.raw.detail;
  const request = (d.requestParameters ?? {}) as Record<string, unknown>;
  const cluster = typeof request.cluster === 'string' ? request.cluster : undefined;
  const service =
    typeof request.serviceName === 'string'
      ? request.serviceName
      : typeof request.service === 'string'
        ? request.service
        : undefined;
  const family = typeof request.family === 'string' ? request.family : undefined;
  return {
    ...(cluster ? { cluster } : {}),
    ...(service ? { service } : {}),
    what: `${d.eventName}${service ? ` ${service}` : family ? ` ${family}` : ''}`,
  };
};

/**
 * Enforces policies where ECS changes: a task definition registered, a service created or
 * updated, RunTask, a standalone task starting. Task definitions are read through a cache keyed
 * by ARN that lives as long as the Lambda container.
 */
const policyEnforcer: FunctionDefinition<
  PolicyEvent,
  PolicyState,
  FunctionConfig<typeof sections>,
  PolicyRunnerPorts & AlertPorts,
  PolicyAction
> = {
  name: 'policy-enforcer',
  reads: ['ecs:DescribeTaskDefinition', 'ecs:DescribeServices'],
  configSections: sections,
  runners: { ...policyRunners, notify: notifyRunner(policyAlertRenderers) },
  parse: (raw) => parseEventOf(raw, ['api-call', 'task-state-change']),
  context: (event) => {
    const { cluster, service, what } = where(event);
    return {
      subject: { account: event.meta.account, region: event.meta.region, cluster, service },
      eventId: event.meta.id,
      summary: `${event.meta.detailType} ${what}`,
      consequence: `Policies were not enforced on ${what}.`,
    };
  },
  load: (event, ports, config) => loadPolicyState(event, ports.ecs, config),
  decide: decidePolicies,
  wire: async (runtime) => {
    const { taskDefinitionCache } = runtime.config.enforcement;
    return {
      ecs: runtime.once('policy-task-definition-cache', () =>
        cacheTaskDefinitions(
          wireEcs(runtime, [
            serviceReads,
            serviceUpdates,
            taskDefinitionReads,
            taskDefinitionChanges,
            taskStops,
          ]),
          {
            maxEntries: taskDefinitionCache.maxEntries,
            tagsTtlMs: taskDefinitionCache.tagsTtlSeconds * 1000,
            now: runtime.now,
          },
        ),
      ),
      ...(await wireAlerts(runtime)),
      leases: wireLeaseStore(runtime),
      // A non-compliant deployment is rolled back through the deployment guard's rollback record.
      guardStore: wireGuardStore(runtime),
    };
  },
};

export { policyEnforcer };
