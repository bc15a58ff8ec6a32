import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import type { RunnerTable } from '#kernel/runner.ts';
import { type DeliveryApprovalAlert, renderDeliveryApproval } from '../alerts/approval-alert.ts';
import { type DeliveryGateAlert, renderDeliveryGate } from '../alerts/gate-alert.ts';
import { type AnswerHookAction, answerHookRunner } from './answer-hook.ts';
import { type RecordProgressAction, recordProgressRunner } from './record-progress.ts';

/** The alerts of the delivery gates and approvals. */
type DeliveryAlert = DeliveryGateAlert | DeliveryApprovalAlert;

/** Every action the hook function's decisions return. */
type DeliveryAction = AnswerHookAction | RecordProgressAction | NotifyAction<DeliveryAlert>;

type DeliveryRunnerPorts = Parameters<typeof recordProgressRunner.run>[1]['ports'];

/** The delivery wing's runners (notify aside). */
const deliveryRunners: RunnerTable<
  Exclude<DeliveryAction, NotifyAction<DeliveryAlert>>,
  DeliveryRunnerPorts
> = {
  'answer-hook': answerHookRunner,
  'record-progress': recordProgressRunner,
};

/** How the delivery alerts are put into words. */
const deliveryAlertRenderers: AlertRenderers<DeliveryAlert> = {
  'delivery-gate': renderDeliveryGate,
  'delivery-approval': renderDeliveryApproval,
};

export {
  type DeliveryAction,
  type DeliveryAlert,
  type DeliveryRunnerPorts,
  deliveryAlertRenderers,
  deliveryRunners,
};
