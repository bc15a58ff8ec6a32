import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';
import type { Watermark } from '../records.ts';

/** Record how far a job's schedule has been checked for missed runs. */
interface AdvanceJobWatermarkAction {
  type: 'advance-job-watermark';
  job: string;
  watermark: Watermark;
}

/** Records how far a job's schedule was checked for missed runs (never moves it back). */
const advanceJobWatermark: ActionRunner<AdvanceJobWatermarkAction, { jobRuns: JobRunStore }> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) => `record ${action.job}'s schedule as checked up to ${action.watermark.at}`,
  run: async (action, { ports }) => {
    await ports.jobRuns.setWatermark(action.job, action.watermark);
    return { status: 'done', detail: `checked up to ${action.watermark.at}` };
  },
};

export { type AdvanceJobWatermarkAction, advanceJobWatermark };
