import type { ActionRunner } from '#kernel/runner.ts';
import type { JobRunStore } from '../ports.ts';

/**
 * Ask the periodic check to read all of a running run's records at `at` (a retry or a RunTask
 * call due, the deadline, a look for tasks whose STOPPED event was lost). Until then the check
 * reads only the run's header: its cost does not grow with the run's size.
 */
interface ScheduleRunCheckAction {
  type: 'schedule-run-check';
  job: string;
  runKey: string;
  at: string;
}

/** Sets the run's next full check, never postponing one still to come. */
const scheduleRunCheck: ActionRunner<ScheduleRunCheckAction, { jobRuns: JobRunStore }> = {
  permissions: ['dynamodb:UpdateItem'],
  describe: (action) => `check run ${action.job}/${action.runKey} again at ${action.at}`,
  run: async (action, { ports, now }) => {
    await ports.jobRuns.scheduleCheck(action.job, action.runKey, action.at, now);
    return { status: 'done', detail: `next check at ${action.at}` };
  },
};

export { type ScheduleRunCheckAction, scheduleRunCheck };
