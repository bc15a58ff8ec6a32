import type { AdvanceJobWatermarkAction } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Records how far a job's schedule was checked for missed runs (never moves it back). */
const advanceJobWatermark: ActionRunner<AdvanceJobWatermarkAction> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) => `record ${action.job}'s schedule as checked up to ${action.watermark.at}`,
  run: async (action, { ports }) => {
    await ports.jobRuns.setWatermark(action.job, action.watermark);
    return { status: 'done', detail: `checked up to ${action.watermark.at}` };
  },
};

export { advanceJobWatermark };
