import {
  ROLLING_BACK_STATUSES,
  type ServiceDeploymentState,
} from '#aws/ecs/service-deployment-state.ts';
import type { ServiceState } from '#aws/ecs/state.ts';
import type { RollbackAction } from '#guard/actions/rollback.ts';
import type { RollbackChatAction, ServiceTarget } from '#kernel/alerts/chat-actions.ts';
import { snoozeKey } from '#kernel/alerts/chat-actions.ts';
import { act, type Decision } from '#kernel/decision.ts';
import type { TellClickerAction } from '../actions/answers.ts';
import type { ReportRollbackAction } from '../actions/report-rollback.ts';
import type { AcknowledgeAction, NoteThreadAction, SnoozeAction } from '../actions/thread-notes.ts';
import { closesKey } from '../buttons.ts';
import type { Click } from '../interactions/click.ts';
import { clock, escapeMrkdwn, mention } from '../slack/mrkdwn.ts';
import type { ThreadRecord } from '../threads/record.ts';
import {
  type ApprovalDecisionAction,
  decideApproval,
  type PausedDeployment,
} from './decide-approval.ts';

/** What a click's work needs to know, read just before deciding. */
interface ClickState {
  thread: ThreadRecord | undefined;
  /** Where this stack acts: a click never acts on another account or region. */
  own: { account: string | undefined; region: string | undefined };
  /** Rollback: the service as ECS describes it, and the guard's rollback records. */
  service?: ServiceState | undefined;
  rollbacks?: readonly NonNullable<RollbackAction['record']>[];
  /** Rollback of a blue/green, linear or canary deployment: its service deployment now. */
  serviceDeployment?: Pick<ServiceDeploymentState, 'status' | 'lifecycleStage'> | undefined;
  /** Approve, Reject: the paused service deployment (undefined when ECS knows none). */
  pause?: PausedDeployment | undefined;
  /** Approve, Reject: who answered the pause from chat, and when. */
  answered?: { by: string; at: string } | undefined;
}

type ClickAction =
  | TellClickerAction
  | NoteThreadAction
  | AcknowledgeAction
  | SnoozeAction
  | RollbackAction
  | ReportRollbackAction
  | ApprovalDecisionAction;

const shortName = (taskDefinition: string): string =>
  taskDefinition.split('/').pop() ?? taskDefinition;

const tell = (click: Click, text: string): Decision<ClickAction> =>
  act(`told ${click.user.name}: ${text}`, [{ type: 'tell-clicker', click, text }]);

const elsewhere = (target: ServiceTarget, own: ClickState['own']): string | undefined => {
  if (own.account && target.account !== own.account)
    return `this Harbormaster acts in account ${own.account}, not ${target.account}`;
  if (own.region && target.region !== own.region)
    return `this Harbormaster acts in ${own.region}, not ${target.region}`;
  return undefined;
};

/**
 * Why a blue/green, linear or canary deployment cannot be stopped with ROLLBACK now
 * (service-deployment.html: only PENDING and IN_PROGRESS before CLEAN_UP), or undefined.
 */
const notStoppable = (
  sd: Pick<ServiceDeploymentState, 'status' | 'lifecycleStage'> | undefined,
): string | undefined => {
  if (!sd) return 'ECS knows no such service deployment any more.';
  if (ROLLING_BACK_STATUSES.has(sd.status) || sd.status === 'STOP_REQUESTED')
    return 'ECS is rolling it back already.';
  if (sd.status === 'ROLLBACK_SUCCESSFUL') return 'ECS rolled it back already.';
  if (sd.status !== 'PENDING' && sd.status !== 'IN_PROGRESS')
    return `The deployment is ${escapeMrkdwn(sd.status)}: it has ended.`;
  if (sd.lifecycleStage === 'CLEAN_UP')
    return 'The deployment is cleaning up blue: traffic can no longer go back to it.';
  return undefined;
};

/** Why the deployment cannot be rolled back now, or the rollback. */
const decideRollback = (
  click: Click,
  action: RollbackChatAction,
  state: ClickState,
  thread: ThreadRecord,
): Decision<ClickAction> => {
  const where = `${action.cluster}/${action.service}`;
  const record = state.rollbacks?.find((r) => r.fromDeploymentId === action.deploymentId);
  if (record) {
    const who = record.requestedBy
      ? mention(record.requestedBy.id)
      : `Harbormaster (${escapeMrkdwn(record.trigger)})`;
    return tell(click, `Already rolled back by ${who} at ${clock(record.at)}.`);
  }
  const service = state.service;
  if (service?.status !== 'ACTIVE')
    return tell(click, `${escapeMrkdwn(where)} is gone: nothing to roll back.`);
  if (action.serviceDeploymentArn) {
    const why = notStoppable(state.serviceDeployment);
    if (why) return tell(click, `${why} Nothing was rolled back.`);
  }
  const primary = service?.deployments.find((d) => d.status === 'PRIMARY');
  const deployment = service?.deployments.find((d) => d.id === action.deploymentId);
  // A service deployment that can still be stopped is the one to stop, whatever ECS lists.
  const stoppable = action.serviceDeploymentArn !== undefined;
  if (!stoppable && (!primary || primary.id !== action.deploymentId)) {
    const now = primary
      ? `the service now runs deployment ${escapeMrkdwn(primary.id)} (${escapeMrkdwn(shortName(primary.taskDefinition))}${primary.createdAt ? `, since ${clock(primary.createdAt.toISOString())}` : ''})`
      : 'the service has no current deployment';
    const going =
      primary?.taskDefinition === action.taskDefinition ? ' It is already going back.' : '';
    return tell(
      click,
      `Deployment ${escapeMrkdwn(action.deploymentId)} has ended${deployment ? ' (it is being replaced)' : ''}: ${now}.${going} Nothing was rolled back.`,
    );
  }
  if (!stoppable && primary?.taskDefinition === action.taskDefinition)
    return tell(
      click,
      `${escapeMrkdwn(where)} already runs ${escapeMrkdwn(shortName(action.taskDefinition))}.`,
    );
  const user = { id: click.user.id, name: click.user.name };
  const base = {
    thread: { channel: thread.channel, threadId: thread.threadId },
    clickId: click.id,
    user,
    responseUrl: click.responseUrl,
    at: click.at,
  };
  const stop = action.serviceDeploymentArn ? { arn: action.serviceDeploymentArn } : undefined;
  return act(`${click.user.name} rolls ${where} back to ${shortName(action.taskDefinition)}`, [
    {
      type: 'rollback',
      cluster: action.cluster,
      service: action.service,
      taskDefinition: action.taskDefinition,
      // Blue/green, linear, canary: StopServiceDeployment(ROLLBACK) flips traffic back to blue.
      ...(stop ? { serviceDeployment: stop } : {}),
      record: {
        cluster: action.cluster,
        service: action.service,
        fromDeploymentId: action.deploymentId,
        fromTaskDefinition: deployment?.taskDefinition ?? primary?.taskDefinition ?? '',
        toTaskDefinition: action.taskDefinition,
        trigger: 'chat',
        at: click.at,
        rollbackDeploymentId: undefined,
        requestedBy: user,
      },
    },
    {
      type: 'report-rollback',
      ...base,
      cluster: action.cluster,
      service: action.service,
      deploymentId: action.deploymentId,
      taskDefinition: action.taskDefinition,
      closes: closesKey(action),
    },
  ]);
};

/**
 * What a click does, decided on the state read just before (the work runs asynchronously, after
 * Slack got its answer). A click that can do nothing any more (a second click, a deployment that
 * ended, a pause that timed out) tells the clicker why, and only them; one that acts writes who,
 * what and when into the thread and the log.
 */
const decideClick = (
  click: Click,
  state: ClickState,
  options: { now: Date },
): Decision<ClickAction> => {
  const button = click.button;
  if (!button) return tell(click, 'This button is not one of Harbormaster\u2019s.');
  const thread = state.thread;
  if (!thread || thread.channelId !== click.channelId || thread.ts !== click.messageTs)
    return tell(click, 'This message is not one of Harbormaster\u2019s threads any more.');
  const action = button.action;
  const base = {
    thread: { channel: thread.channel, threadId: thread.threadId },
    clickId: click.id,
    user: { id: click.user.id, name: click.user.name },
    responseUrl: click.responseUrl,
    at: click.at,
  };
  if (action.kind === 'acknowledge') {
    const by = thread.acknowledged;
    if (by) return tell(click, `Already acknowledged by ${by.by} at ${clock(by.at)}.`);
    return act(`${click.user.name} acknowledges`, [{ type: 'acknowledge', ...base }]);
  }
  const away = elsewhere(action, state.own);
  if (away) return tell(click, `Not done: ${away}.`);
  switch (action.kind) {
    case 'snooze': {
      const minutes = button.minutes ?? 60;
      const until = new Date(Date.parse(click.at) + minutes * 60_000).toISOString();
      return act(`${click.user.name} snoozes ${action.label} for ${minutes} minutes`, [
        {
          type: 'snooze',
          ...base,
          key: snoozeKey(action),
          label: action.label,
          closes: closesKey(action),
          until,
        },
      ]);
    }
    case 'rollback':
      return decideRollback(click, action, state, thread);
    default:
      return decideApproval(click, action, state, base, options.now);
  }
};

export { type ClickAction, type ClickState, decideClick };
