import { alertsSection } from '#alerts/config.ts';
import { type AlertPorts, notifyRunner } from '#alerts/notify.ts';

import { wireAlerts } from '#alerts/wire.ts';
import { serviceReads } from '#aws/ecs/service-reads.ts';
import { serviceUpdates } from '#aws/ecs/service-updates.ts';
import { taskReads } from '#aws/ecs/task-reads.ts';
import { wireEcs, wireServiceDeployments } from '#aws/ecs/wire.ts';
import { wireLeaseStore } from '#aws/leases.ts';
import {
  type CancelWakeAction,
  cancelWakeRunner,
  type WakeAction,
  type WakePorts,
  wakeRunner,
} from '#aws/wakeups/wake.ts';
import { wireWakeups } from '#aws/wakeups/wire.ts';
import { type GuardAction, guardAlertRenderers, guardRunners } from '#guard/actions/index.ts';
import { deploymentGuardSection } from '#guard/config.ts';
import { decideDeploymentGuard } from '#guard/decide.ts';
import { loadGuardState } from '#guard/load.ts';
import type { GuardPorts } from '#guard/ports.ts';
import { screenGuardEvent } from '#guard/screen.ts';
import type { GuardEvent, GuardState } from '#guard/state.ts';
import { withGuardWakes } from '#guard/wakes.ts';
import { wireAlarms, wireGuardStore } from '#guard/wire.ts';
import { awsSection } from '#kernel/config/aws.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import type {
  EventContext,
  FunctionConfig,
  FunctionDefinition,
} from '#kernel/function-definition.ts';

const sections = {
  aws: awsSection,
  alerts: alertsSection,
  deploymentGuard: deploymentGuardSection,
};

const contextOf = (event: GuardEvent): EventContext => {
  const base = { account: event.meta.account, region: event.meta.region };
  switch (event.kind) {
    case 'task-state-change': {
      const { cluster, service, taskId, deploymentId } = event.task;
      const where = `${cluster}/${service ?? '?'}`;
      return {
        subject: { ...base, cluster, service, deploymentId, taskArn: event.task.taskArn },
        eventId: event.meta.id,
        summary: `ECS Task State Change ${event.task.lastStatus} ${where} task ${taskId}`,
        consequence: `The deployment guard did not count this task against deployment ${deploymentId ?? '?'}: ${where} was left unguarded for it.`,
      };
    }
    case 'deployment-state-change': {
      const { cluster, service } = event.subject;
      const { eventName, deploymentId } = event.raw.detail;
      return {
        subject: { ...base, cluster, service, deploymentId },
        eventId: event.meta.id,
        summary: `ECS Deployment State Change ${eventName} ${cluster}/${service} ${deploymentId}`,
        consequence: `The deployment guard did not act on ${eventName} of ${cluster}/${service}: the deployment was left unguarded.`,
      };
    }
    case 'alarm-state-change':
      return {
        subject: base,
        eventId: event.meta.id,
        summary: `CloudWatch Alarm State Change ${event.raw.detail.alarmName} ${event.raw.detail.state.value}`,
        consequence: `Deployments watching ${event.raw.detail.alarmName} were not checked against it.`,
      };
    case 'scheduled':
      return {
        subject: base,
        eventId: event.meta.id,
        summary: `deadline sweep at ${event.meta.time?.toISOString() ?? 'unknown time'}`,
        consequence: 'Deployment deadlines falling due now were not checked; the next sweep will.',
      };
  }
};

/**
 * The deployment guard: watches each ECS rolling deployment and rolls it back to the last
 * deployment that completed when its tasks fail (N failures), it misses its deadline, a watched
 * alarm goes to ALARM, or ECS fails it without rolling back. It sends the deployment's alerts.
 */
const deploymentGuard: FunctionDefinition<
  GuardEvent,
  GuardState,
  FunctionConfig<typeof sections>,
  GuardPorts & AlertPorts & WakePorts,
  GuardAction | WakeAction | CancelWakeAction
> = {
  name: 'deployment-guard',
  reads: [
    'ecs:DescribeServices',
    'ecs:ListTasks',
    'ecs:DescribeTasks',
    'cloudwatch:DescribeAlarms',
    'dynamodb:Query',
    // Blue/green, linear and canary services: the service deployment behind a deployment.
    'ecs:ListServiceDeployments',
    'ecs:DescribeServiceDeployments',
    'ecs:DescribeServiceRevisions',
  ],
  configSections: sections,
  runners: {
    ...guardRunners,
    wake: wakeRunner,
    'cancel-wake': cancelWakeRunner,
    notify: notifyRunner(guardAlertRenderers),
  },
  parse: (raw) =>
    parseEventOf(raw, [
      'task-state-change',
      'deployment-state-change',
      'alarm-state-change',
      'scheduled',
    ]),
  context: contextOf,
  screen: screenGuardEvent,
  load: loadGuardState,
  decide: (event, state, config, now) =>
    withGuardWakes(decideDeploymentGuard(event, state, config, now), state),
  wire: async (runtime) => ({
    ecs: wireEcs(runtime, [serviceReads, serviceUpdates, taskReads]),
    alarms: wireAlarms(runtime),
    guardStore: wireGuardStore(runtime),
    serviceDeployments: wireServiceDeployments(runtime),
    ...(await wireAlerts(runtime)),
    leases: wireLeaseStore(runtime),
    wakeups: wireWakeups(runtime, 'deployment-guard'),
  }),
};

export { deploymentGuard };
