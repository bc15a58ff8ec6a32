import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';
import type { RunStatus } from '../records.ts';

/** Move a running job run to its final status (a run that already finished is left as it is). */
interface FinishJobRunAction {
  type: 'finish-job-run';
  job: string;
  runKey: string;
  status: Exclude<RunStatus, 'running'>;
  finishedAt: string;
  reason?: string | undefined;
}

/** Moves a running job run to its final status, once (a conditional update on `running`). */
const finishJobRun: ActionRunner<FinishJobRunAction, { jobRuns: JobRunStore }> = {
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

export { type FinishJobRunAction, finishJobRun };
