/**
 * One-click actions a chat message may offer (Slack buttons). An alert kind's renderer says which
 * of them its message offers and with what target; the chat wing draws the buttons, checks who
 * pressed one, and carries the action out after checking again that it still makes sense. The
 * target names the account and region, so that a click never acts anywhere else than the alert
 * was about.
 */

/** Where an action acts: a service of an account and region. */
interface ServiceTarget {
  account: string;
  region: string;
  cluster: string;
  service: string;
}

/** Roll a failing (or paused) deployment back to the task definition it replaced. */
interface RollbackChatAction extends ServiceTarget {
  kind: 'rollback';
  deploymentId: string;
  /** The task definition to go back to. */
  taskDefinition: string;
  /** Blue/green, linear and canary deployments: the service deployment StopServiceDeployment stops. */
  serviceDeploymentArn?: string | undefined;
}

/** Answer a pause hook: CONTINUE (approve) or ROLLBACK (reject). */
interface ApprovalChatAction extends ServiceTarget {
  kind: 'approve' | 'reject';
  deploymentId: string | undefined;
  serviceDeploymentArn: string;
  hookId: string;
}

/** Silence this alert of this service for a while (a repeating service event). */
interface SnoozeChatAction extends ServiceTarget {
  kind: 'snooze';
  /** What is silenced, stable across repeats: the alert kind and its event (service-event|SERVICE_TASK_START_IMPAIRED). */
  alert: string;
  /** How the alert is called in words ("SERVICE_TASK_START_IMPAIRED"). */
  label: string;
}

/** Any action a chat message may offer besides Acknowledge (which the chat wing adds to errors). */
type ChatAction = RollbackChatAction | ApprovalChatAction | SnoozeChatAction;

/** The key of a snooze: one alert of one service. */
const snoozeKey = (action: Omit<SnoozeChatAction, 'kind' | 'label'>): string =>
  [action.account, action.region, action.cluster, action.service, action.alert].join('|');

export {
  type ApprovalChatAction,
  type ChatAction,
  type RollbackChatAction,
  type ServiceTarget,
  type SnoozeChatAction,
  snoozeKey,
};
