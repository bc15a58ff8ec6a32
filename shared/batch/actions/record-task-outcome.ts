import { TransientError } from '#kernel/errors.ts';
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
  /**
   * Decided from the run's header alone: recorded only while another task of the run is open.
   * When this task may be the run's last, nothing is written and the invocation is tried again,
   * to be decided from all the run's records (finishing it, with its summary).
   */
  whileOthersOpen?: boolean;
}

/** Remembers a task's outcome once; a redelivered STOPPED event finds it recorded. */
const recordTaskOutcome: ActionRunner<RecordTaskOutcomeAction, { jobRuns: JobRunStore }> = {
  permissions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  describe: (action) =>
    `record task ${taskFromArn(action.outcome.taskArn)?.taskId.slice(0, 8)} of ${action.job}/${action.runKey} as ${action.outcome.succeeded ? 'succeeded' : 'failed'}`,
  run: async (action, { ports }) => {
    if (action.whileOthersOpen) {
      const recording = await ports.jobRuns.recordOutcomeWhileOthersOpen(
        action.job,
        action.runKey,
        action.outcome,
      );
      if (recording === 'last-open')
        throw new TransientError(
          `run ${action.job}/${action.runKey} has no other open task: decided again from its records`,
        );
      return recording === 'recorded'
        ? { status: 'done', detail: 'outcome recorded' }
        : { status: 'skipped', detail: 'outcome already recorded' };
    }
    const recorded = await ports.jobRuns.recordOutcome(action.job, action.runKey, action.outcome);
    return recorded
      ? { status: 'done', detail: 'outcome recorded' }
      : { status: 'skipped', detail: 'outcome already recorded' };
  },
};

export { type RecordTaskOutcomeAction, recordTaskOutcome };
