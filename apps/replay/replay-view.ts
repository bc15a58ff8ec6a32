import { renderAlert } from '#alerts/render.ts';
import {
  type ServiceEventAction,
  serviceEventAlertRenderers,
} from '#alerts/service-events/actions.ts';
import { type BatchAction, batchAlertRenderers } from '#batch/actions/index.ts';
import { type DeliveryAction, deliveryAlertRenderers } from '#delivery/actions/index.ts';
import { type GuardAction, guardAlertRenderers } from '#guard/actions/index.ts';
import { type PolicyAction, policyAlertRenderers } from '#policies/actions/index.ts';

/** Every action a replayed function may return. */
type ReplayableAction =
  | GuardAction
  | BatchAction
  | PolicyAction
  | ServiceEventAction
  | DeliveryAction;

/** Every kind of alert a replayed function may send. */
const RENDERERS = {
  ...guardAlertRenderers,
  ...batchAlertRenderers,
  ...policyAlertRenderers,
  ...serviceEventAlertRenderers,
  ...deliveryAlertRenderers,
};

/** An action in a replay's output: its data, flattened for reading, and what carrying it out did. */
type ReplayedAction = {
  type: string;
  function: string;
  status: string;
  detail: string;
} & Record<string, unknown>;

const refOf = (w: { cluster: string; service: string; deploymentId: string }) => ({
  cluster: w.cluster,
  service: w.service,
  deploymentId: w.deploymentId,
});

/**
 * Flattens an action for the output: an alert by its title, a rollback by cluster, service and
 * target task definition, a batch run by job and run; the rest as they are.
 */
const viewOf = (action: ReplayableAction): Record<string, unknown> & { type: string } => {
  switch (action.type) {
    case 'notify': {
      const message = renderAlert(action.alert, RENDERERS);
      const alert = action.alert;
      return {
        type: action.type,
        kind: alert.kind,
        ...(alert.kind === 'deployment-guard'
          ? { event: alert.event, trigger: alert.trigger }
          : {}),
        ...(alert.kind === 'deployment-event' ? { phase: alert.phase } : {}),
        ...(alert.kind === 'delivery-gate' ? { gate: alert.gate, outcome: alert.outcome } : {}),
        ...(alert.kind === 'delivery-approval' ? { event: alert.event } : {}),
        severity: alert.severity,
        title: message.title,
        threadId: alert.threadId,
        cluster: alert.subject.cluster,
        service: alert.subject.service,
        deploymentId: alert.subject.deploymentId,
        ...(alert.kind === 'deployment-guard' ? { reason: alert.reason } : {}),
      };
    }
    case 'rollback':
      return {
        type: action.type,
        cluster: action.cluster,
        service: action.service,
        taskDefinition: action.taskDefinition,
        fromDeploymentId: action.record.fromDeploymentId,
        fromTaskDefinition: action.record.fromTaskDefinition,
        trigger: action.record.trigger,
      };
    case 'watch-deployment':
    case 'update-watch':
      return { type: action.type, ...refOf(action.watch), dueAt: action.dueAt };
    case 'end-watch':
      return { type: action.type, ...refOf(action.watch) };
    case 'answer-hook':
      return {
        type: action.type,
        hookStatus: action.hookStatus,
        ...(action.callBackDelay === undefined ? {} : { callBackDelay: action.callBackDelay }),
        reason: action.reason,
      };
    case 'record-progress': {
      const { cluster, service, deploymentArn, passed } = action.progress;
      return {
        type: action.type,
        cluster,
        service,
        deploymentArn,
        passed: passed.map((p) => p.key),
      };
    }
    case 'start-job-run': {
      const { job, runKey, trigger, status, count, reason } = action.run;
      return { type: action.type, job, runKey, trigger, runStatus: status, count, reason };
    }
    case 'launch-job-tasks':
      return {
        type: action.type,
        job: action.job,
        runKey: action.runKey,
        taskDefinition: action.spec.taskDefinition,
        slots: action.launches.flatMap((l) => l.slots),
        attempts: [...new Set(action.launches.map((l) => l.attempt))],
      };
    case 'record-task-outcome': {
      const { taskArn, succeeded, kind } = action.outcome;
      return {
        type: action.type,
        job: action.job,
        runKey: action.runKey,
        taskArn,
        succeeded,
        kind,
      };
    }
    default:
      return { ...action };
  }
};

export { type ReplayableAction, type ReplayedAction, viewOf };
