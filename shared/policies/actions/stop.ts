import type { EcsPort } from '#aws/ecs/port.ts';
import { taskFromArn } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import { failingRules } from '../engine.ts';
import { definePolicyAction } from './policy-action.ts';

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

/**
 * `stop`: stops a standalone task that fails the policy (started with RunTask, or starting), with
 * a stoppedReason naming the policies and rules.
 *
 * ```yaml
 * actions: [{ type: stop }]
 * ```
 */
const stopPolicyAction = definePolicyAction<StopAction, object, { ecs: EcsPort }>({
  type: 'stop',
  resource: 'ecs-task',
  description: 'stop the task, naming the policy and its rules in its stoppedReason',
  options: () => ({}),
  plan: ({ checkpoint, say }, asking) => {
    if (asking.length === 0) return [];
    if (checkpoint.kind !== 'run-task' && checkpoint.kind !== 'task-start') return [];
    const taskArns = checkpoint.kind === 'run-task' ? checkpoint.taskArns : [checkpoint.taskArn];
    const evaluations = asking.map((a) => a.evaluation);
    say(evaluations, taskArns.length === 1 ? 'stop the task' : `stop its ${taskArns.length} tasks`);
    // ECS caps stoppedReason at 255 characters; the reason names the policy and its rules.
    const reason = `Harbormaster policy ${evaluations
      .map((e) => `${e.policy.name} (${failingRules(e).join(', ')})`)
      .join('; ')}`.slice(0, 255);
    return taskArns.map((taskArn) => ({
      type: 'stop',
      cluster: checkpoint.cluster,
      taskArn,
      reason,
    }));
  },
  runner: stopRunner,
});

export { type StopAction, stopPolicyAction, stopRunner };
