import type { RecordJobLaunchAction } from '#kernel/action.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Records a launch that did not happen (slots given up), so later checks see them settled. */
const recordJobLaunch: ActionRunner<RecordJobLaunchAction> = {
  permissions: ['dynamodb:PutItem'],
  describe: (action) =>
    `record ${action.launch.slots.length} task(s) of ${action.job}/${action.runKey} as not launched (${action.launch.error?.message ?? action.launch.launchId})`,
  run: async (action, { ports }) => {
    await ports.jobRuns.recordLaunch(action.job, action.runKey, action.launch);
    return { status: 'done', detail: `launch ${action.launch.launchId} recorded` };
  },
};

export { recordJobLaunch };
