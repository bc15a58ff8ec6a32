import type { StartJobRunAction } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Creates a job run's record once: a second invocation for the same run finds it and skips. */
const startJobRun: ActionRunner<StartJobRunAction> = {
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

export { startJobRun };
