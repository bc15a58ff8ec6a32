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

/** Everything a decision can ask the executor to do, discriminated by `type`. */
type Action = NotifyAction | ParkDeadLetterAction;
type ActionType = Action['type'];

export type { Action, ActionType, NotifyAction, ParkDeadLetterAction };
