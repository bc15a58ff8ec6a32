import { serviceReads } from '../../shared/aws/ecs/service-reads.ts';
import { serviceUpdates } from '../../shared/aws/ecs/service-updates.ts';
import { taskReads } from '../../shared/aws/ecs/task-reads.ts';
import { alertsSection } from '../../shared/config/alerts.ts';
import { awsSection } from '../../shared/config/aws.ts';
import { deploymentGuardSection } from '../../shared/config/deployment-guard.ts';
import { parseEventOf } from '../../shared/events/parse.ts';
import {
  wireAlarms,
  wireAlertChannels,
  wireDedupStore,
  wireEcs,
  wireGuardStore,
} from '../../shared/runtime/composition-root.ts';
import type { EventContext, FunctionDefinition } from '../../shared/runtime/function-definition.ts';
import { decideDeploymentGuard } from './decide.ts';
import { loadGuardState } from './load.ts';
import type { GuardEvent, GuardState } from './state.ts';

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
const deploymentGuard: FunctionDefinition<GuardEvent, GuardState> = {
  name: 'deployment-guard',
  reads: [
    'ecs:DescribeServices',
    'ecs:ListTasks',
    'ecs:DescribeTasks',
    'cloudwatch:DescribeAlarms',
    'dynamodb:Query',
  ],
  emits: ['notify', 'rollback-service', 'watch-deployment', 'update-watch', 'end-watch'],
  configSections: {
    aws: awsSection,
    alerts: alertsSection,
    deploymentGuard: deploymentGuardSection,
  },
  parse: (raw) =>
    parseEventOf(raw, [
      'task-state-change',
      'deployment-state-change',
      'alarm-state-change',
      'scheduled',
    ]),
  context: contextOf,
  load: loadGuardState,
  decide: decideDeploymentGuard,
  wire: async (runtime) => ({
    ecs: wireEcs(runtime, [serviceReads, serviceUpdates, taskReads]),
    alarms: wireAlarms(runtime),
    guardStore: wireGuardStore(runtime),
    channels: await wireAlertChannels(runtime),
    dedup: wireDedupStore(runtime),
  }),
};

export { deploymentGuard };
