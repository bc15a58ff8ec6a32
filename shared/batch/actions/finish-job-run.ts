import type { FinishJobRunAction } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Moves a running job run to its final status, once (a conditional update on `running`). */
const finishJobRun: ActionRunner<FinishJobRunAction> = {
  permissions: ['dynamodb:UpdateItem'],
  describe: (action) => `mark run ${action.job}/${action.runKey} ${action.status}`,
  run: async (action, { ports }) => {
    const finished = await ports.jobRuns.finishRun(action.job, action.runKey, {
      status: action.status,
      finishedAt: action.finishedAt,
      reason: action.reason,
    });
    return finished
      ? { status: 'done', detail: `run ${action.runKey} ${action.status}` }
      : { status: 'skipped', detail: `run ${action.runKey} had already finished` };
  },
};

export { finishJobRun };
