import type { StopTaskAction } from '#kernel/action.ts';
import { taskFromArn } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Stops a task; stopping one that already stopped or vanished is a success (safe to repeat). */
const stopTask: ActionRunner<StopTaskAction> = {
  permissions: ['ecs:StopTask'],
  describe: (action) =>
    `stop task ${taskFromArn(action.taskArn)?.taskId ?? action.taskArn} in ${action.cluster} (${action.reason})`,
  run: async (action, { ports }) => {
    const outcome = await ports.ecs.stopTask(action.cluster, action.taskArn, action.reason);
    return { status: outcome === 'stopping' ? 'done' : 'skipped', detail: `task ${outcome}` };
  },
};

export { stopTask };
