import type { RecordTaskOutcomeAction } from '#kernel/action.ts';
import { taskFromArn } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Remembers a task's outcome once; a redelivered STOPPED event finds it recorded. */
const recordTaskOutcome: ActionRunner<RecordTaskOutcomeAction> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) =>
    `record task ${taskFromArn(action.outcome.taskArn)?.taskId.slice(0, 8)} of ${action.job}/${action.runKey} as ${action.outcome.succeeded ? 'succeeded' : 'failed'}`,
  run: async (action, { ports }) => {
    const recorded = await ports.jobRuns.recordOutcome(action.job, action.runKey, action.outcome);
    return recorded
      ? { status: 'done', detail: 'outcome recorded' }
      : { status: 'skipped', detail: 'outcome already recorded' };
  },
};

export { recordTaskOutcome };
