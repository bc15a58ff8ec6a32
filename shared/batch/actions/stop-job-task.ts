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

// The record of a side effect done outlives any redelivery of the event that decided it.
const KEEP_SECONDS = 7 * 24 * 60 * 60;

/** Stops a job's task, once (a lease on the task); one that already stopped or vanished is a success (safe to repeat). */
const stopJobTask: ActionRunner<StopJobTaskAction, { ecs: EcsPort }> = {
  permissions: ['ecs:StopTask'],
  describe: (action) =>
    `stop task ${taskFromArn(action.taskArn)?.taskId ?? action.taskArn} in ${action.cluster} (${action.reason})`,
  once: { key: (action) => `stop#${action.taskArn}`, keepSeconds: KEEP_SECONDS, repeatable: true },
  run: async (action, { ports }) => {
    const outcome = await ports.ecs.stopTask(action.cluster, action.taskArn, action.reason);
    return { status: outcome === 'stopping' ? 'done' : 'skipped', detail: `task ${outcome}` };
  },
};

export { type StopJobTaskAction, stopJobTask };
