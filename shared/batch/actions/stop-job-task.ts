import type { EcsPort } from '#aws/ecs/port.ts';
import { taskFromArn } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Stop a task of a job run (its deadline passed, or a newer run replaces it). */
interface StopJobTaskAction {
  type: 'stop-job-task';
  cluster: string;
  taskArn: string;
  /** Becomes the task's stoppedReason: names the job, the run and why. */
  reason: string;
}

/** Stops a job's task; one that already stopped or vanished is a success (safe to repeat). */
const stopJobTask: ActionRunner<StopJobTaskAction, { ecs: EcsPort }> = {
  permissions: ['ecs:StopTask'],
  describe: (action) =>
    `stop task ${taskFromArn(action.taskArn)?.taskId ?? action.taskArn} in ${action.cluster} (${action.reason})`,
  run: async (action, { ports }) => {
    const outcome = await ports.ecs.stopTask(action.cluster, action.taskArn, action.reason);
    return { status: outcome === 'stopping' ? 'done' : 'skipped', detail: `task ${outcome}` };
  },
};

export { type StopJobTaskAction, stopJobTask };
