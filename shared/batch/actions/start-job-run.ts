import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';
import type { JobRun } from '../records.ts';

/** Create a job run's record: running, or already final (skipped, missed, failed to start). */
interface StartJobRunAction {
  type: 'start-job-run';
  run: JobRun;
}

/** Creates a job run's record once: a second invocation for the same run finds it and skips. */
const startJobRun: ActionRunner<StartJobRunAction, { jobRuns: JobRunStore }> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) =>
    `record run ${action.run.job}/${action.run.runKey} as ${action.run.status}${action.run.reason ? ` (${action.run.reason})` : ''}`,
  run: async (action, { ports }) => {
    const created = await ports.jobRuns.createRun(action.run);
    return created
      ? { status: 'done', detail: `run ${action.run.runKey} recorded as ${action.run.status}` }
      : { status: 'skipped', detail: `run ${action.run.runKey} was already recorded` };
  },
};

export { type StartJobRunAction, startJobRun };
