import type { AlertRenderers, NotifyAction } from '#kernel/alerts/model.ts';
import { type DeadLetterAlert, renderDeadLetter } from './dead-letter-alert.ts';
import { type ParkDeadLetterAction, parkDeadLetter } from './park-dead-letter.ts';

/** Every action the dead-letters decision returns. */
type DeadLetterAction = ParkDeadLetterAction | NotifyAction<DeadLetterAlert>;

/** The dead-letters runners (notify aside). */
const deadLetterRunners = { 'park-dead-letter': parkDeadLetter };

/** How dead-letter alerts are put into words. */
const deadLetterAlertRenderers: AlertRenderers<DeadLetterAlert> = {
  'dead-letter': renderDeadLetter,
};

export { type DeadLetterAction, deadLetterAlertRenderers, deadLetterRunners };
