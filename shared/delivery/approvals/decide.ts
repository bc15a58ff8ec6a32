import type { Severity } from '#kernel/alerts/model.ts';
import { act, type Decision, ignore } from '#kernel/decision.ts';
import type { EventOfKind } from '#kernel/events/parse.ts';
import type { DeliveryAction } from '../actions/index.ts';
import type { ApprovalEvent, DeliveryApprovalAlert } from '../alerts/approval-alert.ts';
import { threadOfDeployment } from '../gates/verdict.ts';
import type { HookChangeState } from '../state.ts';

type HookChangeEvent = EventOfKind<'hook-state-change'>;

const EVENTS: Record<string, { event: ApprovalEvent; severity: Severity }> = {
  HOOK_AWAITING_ACTION: { event: 'awaiting', severity: 'warning' },
  HOOK_SUCCEEDED: { event: 'continued', severity: 'info' },
  HOOK_FAILED: { event: 'rolled-back', severity: 'warning' },
  HOOK_TIMED_OUT: { event: 'timed-out', severity: 'warning' },
};

/** Why a Hook State Change needs nothing: only pause hooks ask people, and only these names matter. */
const screenHookChange = (event: HookChangeEvent): string | undefined => {
  const { hookType, eventName } = event.raw.detail;
  if (hookType !== 'PAUSE')
    return `a ${hookType} hook: Harbormaster's own hooks report their verdicts themselves`;
  if (!EVENTS[eventName]) return `${eventName} asks nothing of people`;
  return undefined;
};

/**
 * A pause hook changed state. HOOK_AWAITING_ACTION asks people to approve: the alert shows what
 * the deployment has shown so far (the gates' last verdicts) and how to continue or roll back
 * (the commands, and the ContinueServiceDeployment requests a chat button sends, each with both
 * the deployment ARN and the hook id). HOOK_SUCCEEDED, HOOK_FAILED and HOOK_TIMED_OUT close the
 * question in the same thread. Each (hook, event) is alerted once.
 */
const decideHookChange = (
  event: HookChangeEvent,
  state: HookChangeState,
  now: Date,
): Decision<DeliveryAction> => {
  const d = event.raw.detail;
  const found = EVENTS[d.eventName];
  if (!found) return ignore(`${d.eventName} asks nothing of people`);
  const { cluster, service, id, arn } = event.deployment;
  const hook = state.deployment?.hooks.find((h) => h.hookId === d.hookId);
  const request = (action: 'CONTINUE' | 'ROLLBACK') => ({
    serviceDeploymentArn: arn,
    hookId: d.hookId,
    action,
  });
  const alert: DeliveryApprovalAlert = {
    kind: 'delivery-approval',
    severity: found.severity,
    subject: {
      account: event.meta.account,
      region: event.meta.region,
      cluster,
      service,
      deploymentId: id,
    },
    occurredAt: (event.meta.time ?? now).toISOString(),
    threadId: threadOfDeployment({ cluster, service, deploymentId: id }),
    dedup: {
      key: ['delivery-approval', event.meta.account, event.meta.region, d.hookId, d.eventName].join(
        '|',
      ),
      windowSeconds: 14 * 24 * 60 * 60,
    },
    event: found.event,
    stage: d.lifecycleStage,
    hookId: d.hookId,
    deploymentArn: arn,
    expiresAt: d.expiresAt ?? hook?.expiresAt?.toISOString(),
    timeoutAction: hook?.timeoutAction,
    verdicts: state.progress?.verdicts ?? [],
    actions:
      found.event === 'awaiting'
        ? { continue: request('CONTINUE'), rollback: request('ROLLBACK') }
        : undefined,
  };
  return act(`pause at ${d.lifecycleStage}: ${found.event}`, [{ type: 'notify', alert }]);
};

export { decideHookChange, screenHookChange };
