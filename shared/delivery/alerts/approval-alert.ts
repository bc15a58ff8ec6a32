import type { ChatAction } from '#kernel/alerts/chat-actions.ts';
import { deploymentsLink } from '#kernel/alerts/console-links.ts';
import type { AlertBase, RenderedKind } from '#kernel/alerts/model.ts';
import { present, serviceName, subjectFields } from '#kernel/alerts/subject.ts';
import type { VerdictSummary } from '../records.ts';

/** What happened to a pause hook (an approval). */
type ApprovalEvent = 'awaiting' | 'continued' | 'rolled-back' | 'timed-out';

/**
 * The request to continue or roll back a paused deployment: what `harbormaster approve` and
 * `reject`, and a chat button, send to ContinueServiceDeployment (the API needs both the service
 * deployment ARN and the hook id; the guide's CLI examples leave the ARN out).
 */
interface ContinueRequest {
  serviceDeploymentArn: string;
  hookId: string;
  action: 'CONTINUE' | 'ROLLBACK';
}

/** A pause hook of a deployment: waiting for people, or answered. */
interface DeliveryApprovalAlert extends AlertBase {
  kind: 'delivery-approval';
  event: ApprovalEvent;
  stage: string;
  hookId: string;
  deploymentArn: string;
  /** ISO-8601: when ECS takes the timeout action (awaiting). */
  expiresAt: string | undefined;
  timeoutAction: string | undefined;
  /** What the deployment has shown so far: the gates' last verdicts. */
  verdicts: VerdictSummary[];
  /** The actions a button or a command calls (awaiting only). */
  actions: { continue: ContinueRequest; rollback: ContinueRequest } | undefined;
}

const TITLES: Record<ApprovalEvent, string> = {
  awaiting: 'deployment paused: approval needed',
  continued: 'deployment approved: continuing',
  'rolled-back': 'deployment rejected: rolling back',
  'timed-out': 'approval timed out',
};

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** The commands that answer the pause hook (both name the deployment ARN and the hook id). */
const commandsFor = (alert: DeliveryApprovalAlert): string[] => {
  const arn = shellQuote(alert.deploymentArn);
  const hook = shellQuote(alert.hookId);
  return [
    `Approve: harbormaster approve ${arn} --hook-id ${hook}`,
    `Roll back: harbormaster reject ${arn} --hook-id ${hook}`,
    `Or with the AWS CLI: aws ecs continue-service-deployment --service-deployment-arn ${arn} --hook-id ${hook} --action CONTINUE (or ROLLBACK)`,
  ];
};

const verdictLines = (verdicts: readonly VerdictSummary[]): string[] =>
  verdicts.length === 0
    ? ['No gate of Harbormaster has judged this deployment yet.']
    : verdicts.flatMap((v) => [
        `${v.gate} gate at ${v.stage}${v.share === undefined ? '' : ` (${v.share}% of production)`}: ${v.outcome} at ${v.at.slice(11, 16)} UTC`,
        ...v.lines.map((line) => `  ${line}`),
      ]);

/** Renders a pause hook's state: what the deployment has shown, and how to answer it. */
const renderDeliveryApproval = (alert: DeliveryApprovalAlert): RenderedKind => {
  const s = alert.subject;
  const timeout =
    alert.expiresAt && alert.timeoutAction
      ? `Unless answered by ${alert.expiresAt}, ECS will ${alert.timeoutAction === 'CONTINUE' ? 'continue' : 'roll back'}.`
      : '';
  const leads: Record<ApprovalEvent, string> = {
    awaiting: `The deployment is paused at ${alert.stage} and waits for a person. ${timeout}`,
    continued: `The pause at ${alert.stage} was answered with CONTINUE.`,
    'rolled-back': `The pause at ${alert.stage} was answered with ROLLBACK: ECS shifts traffic back to blue.`,
    'timed-out': `Nobody answered the pause at ${alert.stage} in time; ECS took its timeout action${alert.timeoutAction ? ` (${alert.timeoutAction})` : ''}.`,
  };
  return {
    eventType: `DELIVERY_APPROVAL_${alert.event.toUpperCase().replaceAll('-', '_')}`,
    title: `${serviceName(s)} ${TITLES[alert.event]}`,
    summary: leads[alert.event].trim(),
    fields: [...subjectFields(s), { label: 'Hook', value: alert.hookId }],
    details: alert.event === 'awaiting' ? verdictLines(alert.verdicts) : [],
    nextSteps: alert.event === 'awaiting' ? commandsFor(alert) : [],
    links: present([deploymentsLink(s)]),
    actions: approvalButtons(alert),
  };
};

/** Approve and Reject on a pause that awaits an answer (the Slack app's buttons). */
const approvalButtons = (alert: DeliveryApprovalAlert): ChatAction[] => {
  const { account, region, cluster, service, deploymentId } = alert.subject;
  if (alert.event !== 'awaiting' || !alert.actions || !cluster || !service) return [];
  const target = {
    account,
    region,
    cluster,
    service,
    deploymentId,
    serviceDeploymentArn: alert.deploymentArn,
    hookId: alert.hookId,
  };
  return [
    { kind: 'approve', ...target },
    { kind: 'reject', ...target },
  ];
};

export {
  type ApprovalEvent,
  type ContinueRequest,
  type DeliveryApprovalAlert,
  renderDeliveryApproval,
};
