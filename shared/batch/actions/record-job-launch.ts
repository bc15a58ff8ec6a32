import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';
import type { LaunchRecord } from '../records.ts';

/** Record a launch that did not happen (slots given up when the start window closed). */
interface RecordJobLaunchAction {
  type: 'record-job-launch';
  job: string;
  runKey: string;
  launch: LaunchRecord;
}

/** Records a launch that did not happen (slots given up), so later checks see them settled. */
const recordJobLaunch: ActionRunner<RecordJobLaunchAction, { jobRuns: JobRunStore }> = {
  permissions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  describe: (action) =>
    `record ${action.launch.slots.length} task(s) of ${action.job}/${action.runKey} as not launched (${action.launch.error?.message ?? action.launch.launchId})`,
  run: async (action, { ports }) => {
    await ports.jobRuns.recordLaunch(action.job, action.runKey, action.launch);
    return { status: 'done', detail: `launch ${action.launch.launchId} recorded` };
  },
};

export { type RecordJobLaunchAction, recordJobLaunch };
