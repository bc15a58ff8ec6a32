import type { EventOfKind } from '#kernel/events/parse.ts';
import type { GuardEvent } from './state.ts';

/** Why a task event needs no look at ECS: only a failed task of a service deployment counts. */
const screenTask = (event: EventOfKind<'task-state-change'>): string | undefined => {
  const { task } = event;
  if (!task.service || !task.deploymentId) return 'not a task of a service deployment';
  if (task.lastStatus !== 'STOPPED') return `the task is ${task.lastStatus}, not STOPPED`;
  if (!task.stop?.failure)
    return `the task stopped as ${task.stop?.kind ?? 'unknown'}, which is not a failure of the deployment`;
  return undefined;
};

/** Why an alarm event needs nothing: only a change to ALARM fires the alarm trigger. */
const screenAlarm = (event: EventOfKind<'alarm-state-change'>): string | undefined =>
  event.raw.detail.state.value === 'ALARM'
    ? undefined
    : `the alarm went to ${event.raw.detail.state.value}, not ALARM`;

/**
 * Why a guard event needs neither state nor action (the pipeline asks before loading): a task
 * that did not fail its deployment, an alarm that did not go to ALARM.
 */
const screenGuardEvent = (event: GuardEvent): string | undefined => {
  if (event.kind === 'task-state-change') return screenTask(event);
  if (event.kind === 'alarm-state-change') return screenAlarm(event);
  return undefined;
};

export { screenGuardEvent };
