import type { NotifyAction, Severity } from '#kernel/alerts/model.ts';
import type { GuardAlert } from './actions/index.ts';
import type { DeploymentEventAlert } from './deployment-event-alert.ts';
import type { DeploymentGuardAlert, GuardAlertEvent } from './deployment-guard-alert.ts';
import { threadOf } from './deployments.ts';
import type { CountedFailure } from './failures.ts';
import type { TriggerName } from './records.ts';
import { stoppableOf } from './service-deployments.ts';
import type { DeploymentFacts } from './state.ts';

// A deployment's alerts are about one occurrence each for as long as a deployment lasts.
const WINDOW_SECONDS = 24 * 60 * 60;
// Alerts list at most this many failed tasks (the count says how many there were).
const LISTED_FAILURES = 10;

/** What a guard alert says beyond the deployment it is about. */
interface GuardAlertParts {
  severity: Severity;
  reason: string;
  trigger?: TriggerName | undefined;
  nextSteps?: string[];
  failures?: readonly CountedFailure[];
  threshold?: number | undefined;
  target?: string | undefined;
  alarms?: readonly string[];
  minutes?: number | undefined;
  /** Tells apart occurrences of the same event (the rule that blocked, the trigger that fired). */
  occurrence?: string;
}

const subjectOf = (j: DeploymentFacts) => ({
  account: j.account,
  region: j.region,
  cluster: j.cluster,
  service: j.service,
  deploymentId: j.deploymentId,
  taskDefinition: j.deployment?.taskDefinition || j.watch?.taskDefinition,
});

/** A guard alert about the facts deployment, in its deployment's thread. */
const guardAlert = (
  j: DeploymentFacts,
  event: GuardAlertEvent,
  parts: GuardAlertParts,
): NotifyAction<GuardAlert> => {
  const failures = parts.failures ?? [];
  const settingsProblems = j.settings.problems.map((p) => `Tag ignored: ${p}.`);
  const alert: DeploymentGuardAlert = {
    kind: 'deployment-guard',
    severity: parts.severity,
    subject: subjectOf(j),
    occurredAt: j.now.toISOString(),
    threadId: threadOf(j),
    dedup: {
      key: [
        'deployment-guard',
        j.account,
        j.region,
        j.cluster,
        j.service,
        j.deploymentId,
        event,
        parts.occurrence ?? '',
      ].join('|'),
      windowSeconds: WINDOW_SECONDS,
    },
    event,
    deploymentId: j.deploymentId,
    taskDefinition: subjectOf(j).taskDefinition,
    targetTaskDefinition: parts.target,
    trigger: parts.trigger,
    reason: parts.reason,
    nextSteps: [...(parts.nextSteps ?? []), ...settingsProblems],
    failures: failures.slice(-LISTED_FAILURES).map(({ stoppedAt: _at, ...summary }) => summary),
    failureCount: failures.length,
    threshold: parts.threshold,
    minutes: parts.minutes,
    alarms: [...(parts.alarms ?? [])],
    serviceDeploymentArn: stoppableOf(j.serviceDeployment)?.arn,
  };
  return { type: 'notify', alert };
};

const LIFECYCLE_SEVERITY: Record<DeploymentEventAlert['phase'], Severity> = {
  started: 'info',
  'rollback-started': 'warning',
  completed: 'info',
  failed: 'error',
};

/**
 * A deployment lifecycle alert (started, failed, ECS rolling back, completed) from an ECS
 * Deployment State Change event. The key names the event's `updatedAt`, so the second COMPLETED
 * of a deployment ECS rolled back to is a new occurrence while a redelivery is not.
 */
const lifecycleAlert = (
  j: DeploymentFacts,
  phase: DeploymentEventAlert['phase'],
  detail: { updatedAt: string; reason?: string | undefined },
  previousTaskDefinition: string | undefined,
): NotifyAction<GuardAlert> => ({
  type: 'notify',
  alert: {
    kind: 'deployment-event',
    severity: LIFECYCLE_SEVERITY[phase],
    subject: subjectOf(j),
    occurredAt: new Date(detail.updatedAt).toISOString(),
    threadId: threadOf(j),
    dedup: {
      key: [
        'deployment-event',
        j.account,
        j.region,
        j.cluster,
        j.service,
        j.deploymentId,
        phase,
        detail.updatedAt,
      ].join('|'),
      windowSeconds: WINDOW_SECONDS,
    },
    phase,
    deploymentId: j.deploymentId,
    reason: detail.reason,
    taskDefinition: subjectOf(j).taskDefinition,
    previousTaskDefinition,
  },
});

export { type GuardAlertParts, guardAlert, lifecycleAlert };
