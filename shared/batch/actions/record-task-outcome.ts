import { taskFromArn } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';
import type { TaskOutcome } from '../records.ts';

/** Remember how a task of a job run ended (ECS forgets stopped tasks after about an hour). */
interface RecordTaskOutcomeAction {
  type: 'record-task-outcome';
  job: string;
  runKey: string;
  outcome: TaskOutcome;
}

/** Remembers a task's outcome once; a redelivered STOPPED event finds it recorded. */
const recordTaskOutcome: ActionRunner<RecordTaskOutcomeAction, { jobRuns: JobRunStore }> = {
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

export { type RecordTaskOutcomeAction, recordTaskOutcome };
