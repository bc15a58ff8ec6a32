import type { ChatAction } from '#kernel/alerts/chat-actions.ts';
import {
  deploymentsLink,
  serviceTasksLink,
  taskDefinitionLink,
} from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, serviceName, subjectFields } from '#kernel/alerts/subject.ts';
import { shortTaskDefinition, taskFromArn } from '#kernel/events/arn.ts';
import type { TriggerName } from './records.ts';

/** A failed task as the deployment guard reports it: why it stopped and how its containers exited. */
interface FailedTaskSummary {
  taskArn: string;
  /** The classification (failed-to-start, crashed, health-check-failed, out-of-memory). */
  kind: string;
  stoppedReason: string | undefined;
  exits: { name: string; exitCode: number | undefined; reason: string | undefined }[];
}

/** What the deployment guard saw or did about one deployment. */
type GuardAlertEvent =
  | 'failing'
  | 'rolled-back'
  | 'would-roll-back'
  | 'cannot-roll-back'
  | 'alarm-already-in-alarm'
  | 'not-guarded'
  | 'rollback-completed';

/** An alert of the deployment guard, in the thread of the deployment it concerns. */
interface DeploymentGuardAlert extends AlertBase {
  kind: 'deployment-guard';
  event: GuardAlertEvent;
  deploymentId: string;
  taskDefinition: string | undefined;
  /** The task definition rolled back (or that would be rolled back) to. */
  targetTaskDefinition: string | undefined;
  trigger: TriggerName | undefined;
  /** The finding: what the trigger saw, or which rule stopped the rollback. */
  reason: string;
  nextSteps: string[];
  failures: FailedTaskSummary[];
  failureCount: number;
  threshold: number | undefined;
  /** Minutes since the deployment started. */
  minutes: number | undefined;
  alarms: string[];
  /**
   * Blue/green, linear, canary: the service deployment ECS still runs, which "Roll back now" stops
   * with ROLLBACK (StopServiceDeployment).
   */
  serviceDeploymentArn?: string | undefined;
}

const TRIGGERS: Record<TriggerName, string> = {
  'failed-tasks': 'failed tasks',
  deadline: 'deadline',
  alarm: 'CloudWatch alarm',
  'ecs-failure': 'ECS deployment failure',
  policy: 'policy',
  chat: 'a person in chat',
};

const short = (taskDefinition: string | undefined): string =>
  taskDefinition ? shortTaskDefinition(taskDefinition) : 'an unknown task definition';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const headline = (alert: DeploymentGuardAlert): string => {
  const trigger = alert.trigger ? TRIGGERS[alert.trigger] : 'guard';
  const headlines: Record<GuardAlertEvent, string> = {
    failing: `deployment failing: ${plural(alert.failureCount, 'task')} failed`,
    'rolled-back': `rolled back to ${short(alert.targetTaskDefinition)} (${trigger})`,
    'would-roll-back': `would roll back to ${short(alert.targetTaskDefinition)} (${trigger}, notify only)`,
    'cannot-roll-back': `deployment failing and not rolled back (${trigger})`,
    'alarm-already-in-alarm': `deployment started with ${alert.alarms.join(', ')} already in ALARM`,
    'not-guarded': 'deployment not guarded',
    'rollback-completed': `rollback completed: back on ${short(alert.taskDefinition)}`,
  };
  return headlines[alert.event];
};

const LEADS: Record<GuardAlertEvent, string> = {
  failing: 'Tasks of the new deployment are failing.',
  'rolled-back': 'Harbormaster rolled the service back.',
  'would-roll-back': 'A rollback trigger fired; this trigger only notifies.',
  'cannot-roll-back': 'A rollback trigger fired, but Harbormaster did not roll back.',
  'alarm-already-in-alarm': 'An alarm watched for this deployment was already in ALARM.',
  'not-guarded': 'Harbormaster does not roll this deployment back.',
  'rollback-completed': 'The service is back on the last working task definition.',
};

/** One line per failed task: its id, classification, stopped reason and essential exit codes. */
const failureLine = (failure: FailedTaskSummary): string => {
  const id = (taskFromArn(failure.taskArn)?.taskId ?? failure.taskArn).slice(0, 12);
  const exits = failure.exits
    .map((e) => `${e.name} exit ${e.exitCode ?? '-'}${e.reason ? ` (${e.reason})` : ''}`)
    .join(', ');
  return `Task ${id} ${failure.kind}: ${failure.stoppedReason ?? 'no stopped reason'}${exits ? ` [${exits}]` : ''}`;
};

/** Renders an alert of the deployment guard. */
const renderDeploymentGuard = (alert: DeploymentGuardAlert): RenderedKind => {
  const s = alert.subject;
  const counted =
    alert.threshold === undefined
      ? undefined
      : `Failed tasks: ${alert.failureCount} of ${alert.threshold} allowed.`;
  // A failing deployment's target is only what Roll back now would go back to.
  const change =
    alert.targetTaskDefinition && alert.taskDefinition && alert.event !== 'failing'
      ? `Task definition: ${short(alert.taskDefinition)} \u2192 ${short(alert.targetTaskDefinition)}.`
      : undefined;
  const timing =
    alert.minutes === undefined
      ? undefined
      : `After ${plural(alert.failureCount, 'failed task')} and ${plural(alert.minutes, 'minute')} since the deployment started.`;
  return {
    eventType: `DEPLOYMENT_GUARD_${alert.event.toUpperCase().replaceAll('-', '_')}`,
    title: `${serviceName(s)} ${headline(alert)}`,
    summary: `${LEADS[alert.event]} Deployment ${alert.deploymentId} of ${serviceName(s)}: ${alert.reason}`,
    fields: [
      ...subjectFields(s),
      ...(alert.trigger ? [{ label: 'Trigger', value: TRIGGERS[alert.trigger] }] : []),
    ],
    details: present([
      change,
      alert.event === 'rolled-back' || alert.event === 'would-roll-back' ? timing : counted,
      ...alert.failures.map(failureLine),
    ]),
    nextSteps: alert.nextSteps,
    links: present([
      deploymentsLink(s),
      alert.failures.length > 0 ? serviceTasksLink(s) : undefined,
      alert.taskDefinition ? taskDefinitionLink(s.region, alert.taskDefinition) : undefined,
    ]),
    actions: rollbackNow(alert),
  };
};

/** "Roll back now" while the deployment fails and the guard has not rolled it back itself. */
const rollbackNow = (alert: DeploymentGuardAlert): ChatAction[] => {
  const { account, region, cluster, service } = alert.subject;
  const offered = alert.event === 'failing' || alert.event === 'would-roll-back';
  if (!offered || !alert.targetTaskDefinition || !cluster || !service) return [];
  return [
    {
      kind: 'rollback',
      account,
      region,
      cluster,
      service,
      deploymentId: alert.deploymentId,
      taskDefinition: alert.targetTaskDefinition,
      ...(alert.serviceDeploymentArn ? { serviceDeploymentArn: alert.serviceDeploymentArn } : {}),
    },
  ];
};

export {
  type DeploymentGuardAlert,
  type FailedTaskSummary,
  type GuardAlertEvent,
  renderDeploymentGuard,
};
