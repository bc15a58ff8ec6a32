import type { EcsPort } from '#aws/ecs/port.ts';
import { taskFromArn } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Stop a task; the reason becomes its stoppedReason, so it should name why (a rule, a deadline). */
interface StopAction {
  type: 'stop';
  cluster: string;
  taskArn: string;
  reason: string;
}

// The record of a side effect done outlives any redelivery of the event that decided it.
const KEEP_SECONDS = 7 * 24 * 60 * 60;

/** Stops a task, once (a lease on the task); stopping one that already stopped or vanished is a success (safe to repeat). */
const stopRunner: ActionRunner<StopAction, { ecs: EcsPort }> = {
  permissions: ['ecs:StopTask'],
  describe: (action) =>
    `stop task ${taskFromArn(action.taskArn)?.taskId ?? action.taskArn} in ${action.cluster} (${action.reason})`,
  // StopTask on a task already stopping changes nothing: a takeover simply stops it again.
  once: { key: (action) => `stop#${action.taskArn}`, keepSeconds: KEEP_SECONDS, repeatable: true },
  run: async (action, { ports }) => {
    const outcome = await ports.ecs.stopTask(action.cluster, action.taskArn, action.reason);
    return { status: outcome === 'stopping' ? 'done' : 'skipped', detail: `task ${outcome}` };
  },
};

export { type StopAction, stopRunner };
