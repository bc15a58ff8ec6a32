import type { ParkDeadLetterAction } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Keeps a failed invocation's record in the dead-letter queue. */
const parkDeadLetter: ActionRunner<ParkDeadLetterAction> = {
  permissions: ['sqs:SendMessage'],
  describe: (action) =>
    `park the failed ${action.functionName} invocation in the dead-letter queue`,
  run: async (action, { ports }) => {
    await ports.deadLetters.park(action.functionName, action.record);
    return { status: 'done', detail: 'parked in the dead-letter queue' };
  },
};

export { parkDeadLetter };
