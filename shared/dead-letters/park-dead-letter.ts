import type { ActionRunner } from '#kernel/runner.ts';
import type { DeadLetterQueue } from './ports.ts';

/** Keep a failed invocation's record in the dead-letter queue for inspection and redrive. */
interface ParkDeadLetterAction {
  type: 'park-dead-letter';
  functionName: string;
  record: unknown;
}

/** Keeps a failed invocation's record in the dead-letter queue. */
const parkDeadLetter: ActionRunner<ParkDeadLetterAction, { deadLetters: DeadLetterQueue }> = {
  effect: true,
  permissions: ['sqs:SendMessage'],
  describe: (action) =>
    `park the failed ${action.functionName} invocation in the dead-letter queue`,
  run: async (action, { ports }) => {
    await ports.deadLetters.park(action.functionName, action.record);
    return { status: 'done', detail: 'parked in the dead-letter queue' };
  },
};

export { type ParkDeadLetterAction, parkDeadLetter };
