import type { Alert } from './alert.ts';

/** Send an alert to every configured channel whose minimum severity it meets. */
interface NotifyAction {
  type: 'notify';
  alert: Alert;
}

/** Keep a failed invocation's record in the dead-letter queue for inspection and redrive. */
interface ParkDeadLetterAction {
  type: 'park-dead-letter';
  functionName: string;
  record: unknown;
}

/** Stop a task; the reason becomes its stoppedReason, so it should name why (a rule, a deadline). */
interface StopTaskAction {
  type: 'stop-task';
  cluster: string;
  taskArn: string;
  reason: string;
}

/** Everything a decision can ask the executor to do, discriminated by `type`. */
type Action = NotifyAction | ParkDeadLetterAction | StopTaskAction;
type ActionType = Action['type'];

export type { Action, ActionType, NotifyAction, ParkDeadLetterAction, StopTaskAction };
