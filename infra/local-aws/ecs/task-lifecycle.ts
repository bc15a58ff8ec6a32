import { randomDigits } from '../core/ids.ts';
import type { TaskBehavior } from './behaviors.ts';
import type { EcsContext } from './ecs-context.ts';
import { emitTaskStateChange } from './ecs-events.ts';
import type { ContainerRecord, StopCause, StopCode, TaskRecord } from './ecs-types.ts';

/** How a stop is reported on the task. */
export interface StopRequest {
  stopCode: StopCode;
  reason: string;
  cause: StopCause;
  /** Exit code of containers still running when they are stopped (default 137). */
  exitCode?: number;
}

const SIGTERM_EXIT = 143;
const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

const after = (ctx: EcsContext, task: TaskRecord, delayMs: number, run: () => void): void => {
  const handles = ctx.timers.get(task.arn) ?? [];
  handles.push(ctx.clock.schedule(delayMs, run));
  ctx.timers.set(task.arn, handles);
};

const cancelTimers = (ctx: EcsContext, task: TaskRecord): void => {
  for (const handle of ctx.timers.get(task.arn) ?? []) handle.cancel();
  ctx.timers.delete(task.arn);
};

const essentialContainer = (task: TaskRecord, name?: string): ContainerRecord | undefined =>
  task.containers.find((c) => (name === undefined ? c.essential : c.name === name)) ??
  task.containers[0];

const dockerRef = (image: string): string => {
  const [first] = image.split('/');
  const hasRegistry = image.includes('/') && first !== undefined && /[.:]|^localhost$/.test(first);
  const withTag = /:[^/]+$/.test(image) || image.includes('@') ? image : `${image}:latest`;
  if (hasRegistry) return withTag;
  return image.includes('/') ? `docker.io/${withTag}` : `docker.io/library/${withTag}`;
};

/** The stoppedReason of a task whose image cannot be pulled. */
export const pullFailureReason = (image: string): string => {
  const ref = dockerRef(image);
  return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${ref}: ${ref}: not found`;
};

const finishStop = (ctx: EcsContext, task: TaskRecord): void => {
  cancelTimers(ctx, task);
  task.lastStatus = 'STOPPED';
  task.stoppedAt = ctx.clock.nowMs();
  for (const attachment of task.attachments) attachment.status = 'DELETED';
  // API_StopTask: "Stops a running task. Any tags associated with the task will be deleted." The
  // documentation says so of StopTask only, so tasks that stop for other reasons keep theirs.
  if (task.stopCode === 'UserInitiated') task.tags.length = 0;
  emitTaskStateChange(ctx, task);
  ctx.hooks.taskStopped(task);
};

// Containers still running exit; awsvpc tasks then deprovision their ENI before STOPPED.
const containersExited = (
  ctx: EcsContext,
  task: TaskRecord,
  exitCodeOf: (c: ContainerRecord) => number,
): void => {
  const now = ctx.clock.nowMs();
  for (const c of task.containers) {
    if (c.lastStatus === 'STOPPED') continue;
    c.lastStatus = 'STOPPED';
    if (c.runtimeId !== undefined) c.exitCode = exitCodeOf(c);
  }
  task.executionStoppedAt = now;
  if (!task.awsvpc) {
    finishStop(ctx, task);
    return;
  }
  task.lastStatus = 'DEPROVISIONING';
  emitTaskStateChange(ctx, task);
  const remaining = Math.max(0, (task.stoppingAt ?? now) + ctx.timing.stoppedMs - now);
  after(ctx, task, remaining, () => finishStop(ctx, task));
};

const markStopping = (ctx: EcsContext, task: TaskRecord, stop: StopRequest): void => {
  cancelTimers(ctx, task);
  task.desiredStatus = 'STOPPED';
  task.stopCode = stop.stopCode;
  task.stoppedReason = stop.reason;
  task.stopCause = stop.cause;
  task.stoppingAt = ctx.clock.nowMs();
};

/** Stops a task (StopTask, scheduler scale-in, health-check replacement). Idempotent. */
export const requestStop = (ctx: EcsContext, task: TaskRecord, stop: StopRequest): void => {
  if (task.desiredStatus === 'STOPPED') return;
  const wasRunning = task.lastStatus === 'RUNNING';
  markStopping(ctx, task, stop);
  if (wasRunning) {
    emitTaskStateChange(ctx, task);
    ctx.hooks.taskStopping(task);
    after(ctx, task, ctx.timing.stopGraceMs, () =>
      containersExited(ctx, task, () => stop.exitCode ?? 137),
    );
    return;
  }
  // Never ran: nothing to signal, the task goes straight to teardown.
  containersExited(ctx, task, () => stop.exitCode ?? 137);
  ctx.hooks.taskStopping(task);
};

const failToStart = (ctx: EcsContext, task: TaskRecord, reason: string, pull: boolean): void => {
  markStopping(ctx, task, { stopCode: 'TaskFailedToStart', reason, cause: 'start-failure' });
  const failed = essentialContainer(task);
  if (failed !== undefined && pull) failed.reason = reason;
  containersExited(ctx, task, () => 0);
  ctx.hooks.taskStopping(task);
};

// An essential container exited on its own: the task stops, the other containers get SIGTERM.
const essentialExit = (
  ctx: EcsContext,
  task: TaskRecord,
  exits: Map<string, { code: number; reason?: string }>,
): void => {
  if (task.desiredStatus === 'STOPPED') return;
  const now = ctx.clock.nowMs();
  let essentialStopped = false;
  for (const c of task.containers) {
    const exit = exits.get(c.name);
    if (exit === undefined || c.lastStatus === 'STOPPED') continue;
    c.lastStatus = 'STOPPED';
    c.exitCode = exit.code;
    if (exit.reason !== undefined) c.reason = exit.reason;
    essentialStopped ||= c.essential;
  }
  if (!essentialStopped) {
    task.updatedAt = now;
    return;
  }
  markStopping(ctx, task, {
    stopCode: 'EssentialContainerExited',
    reason: 'Essential container in task exited',
    cause: 'essential-exit',
  });
  emitTaskStateChange(ctx, task);
  ctx.hooks.taskStopping(task);
  after(ctx, task, ctx.timing.stopGraceMs, () =>
    containersExited(ctx, task, (c) => exits.get(c.name)?.code ?? SIGTERM_EXIT),
  );
};

const exitsFor = (
  task: TaskRecord,
  behavior: TaskBehavior,
): Map<string, { code: number; reason?: string }> => {
  const exits = new Map<string, { code: number; reason?: string }>();
  if (behavior.kind === 'crash' || behavior.kind === 'oom') {
    const target = essentialContainer(task, behavior.container);
    if (target === undefined) return exits;
    const reason = behavior.kind === 'oom' ? OOM_REASON : behavior.reason;
    const code = behavior.kind === 'oom' ? 137 : (behavior.exitCode ?? 1);
    exits.set(target.name, reason === undefined ? { code } : { code, reason });
  } else if (behavior.kind === 'exit') {
    for (const c of task.containers) {
      const code =
        typeof behavior.exitCodes === 'number'
          ? c.essential
            ? behavior.exitCodes
            : undefined
          : behavior.exitCodes[c.name];
      if (code !== undefined) exits.set(c.name, { code });
    }
  }
  return exits;
};

const healthCheckFailure = (
  ctx: EcsContext,
  task: TaskRecord,
  behavior: Extract<TaskBehavior, { kind: 'health-check-failure' }>,
  targetGroupArn: () => string,
): void => {
  if (task.desiredStatus === 'STOPPED') return;
  task.healthStatus = 'UNHEALTHY';
  for (const c of task.containers)
    if (c.hasHealthCheck || behavior.check === 'container') c.healthStatus = 'UNHEALTHY';
  // Only the service scheduler replaces unhealthy tasks; a standalone task just reports it.
  if (task.serviceArn === undefined) return;
  const reason =
    behavior.check === 'elb'
      ? `Task failed ELB health checks in (target-group ${behavior.targetGroupArn ?? targetGroupArn()})`
      : 'Task failed container health checks';
  requestStop(ctx, task, {
    stopCode: 'ServiceSchedulerInitiated',
    reason,
    cause: 'health-check',
    exitCode: SIGTERM_EXIT,
  });
};

const toRunning = (ctx: EcsContext, task: TaskRecord, targetGroupArn: () => string): void => {
  const { behavior } = task;
  task.lastStatus = 'RUNNING';
  task.startedAt = ctx.clock.nowMs();
  task.healthy = behavior.kind !== 'health-check-failure';
  const checked = task.containers.some((c) => c.hasHealthCheck);
  for (const c of task.containers) {
    c.lastStatus = 'RUNNING';
    c.runtimeId = `${task.id}-${randomDigits(10)}`;
    if (c.hasHealthCheck && task.healthy) c.healthStatus = 'HEALTHY';
  }
  task.healthStatus = checked && task.healthy ? 'HEALTHY' : 'UNKNOWN';
  emitTaskStateChange(ctx, task);
  ctx.hooks.taskRunning(task);
  if (behavior.kind === 'healthy') return;
  if (behavior.kind === 'health-check-failure') {
    after(ctx, task, behavior.afterMs, () =>
      healthCheckFailure(ctx, task, behavior, targetGroupArn),
    );
  } else if (behavior.kind === 'spot-interruption') {
    after(ctx, task, behavior.afterMs, () =>
      requestStop(ctx, task, {
        stopCode: 'SpotInterruption',
        reason: 'Your Spot Task was interrupted.',
        cause: 'scheduler',
        exitCode: SIGTERM_EXIT,
      }),
    );
  } else if (behavior.kind === 'crash' || behavior.kind === 'oom' || behavior.kind === 'exit') {
    after(ctx, task, behavior.afterMs, () => essentialExit(ctx, task, exitsFor(task, behavior)));
  }
};

/** Emits the launch event and schedules every later transition of a new task. */
export const startTaskLifecycle = (
  ctx: EcsContext,
  task: TaskRecord,
  targetGroupArn: () => string,
): void => {
  const t = ctx.timing;
  emitTaskStateChange(ctx, task);
  if (task.awsvpc) {
    after(ctx, task, t.provisioningMs, () => {
      task.lastStatus = 'PENDING';
      task.connectivity = 'CONNECTED';
      task.connectivityAt = ctx.clock.nowMs();
      for (const attachment of task.attachments) attachment.status = 'ATTACHED';
      emitTaskStateChange(ctx, task);
    });
  }
  const { behavior } = task;
  if (behavior.kind === 'start-failure') {
    after(ctx, task, t.pullStartMs, () => failToStart(ctx, task, behavior.reason, false));
    return;
  }
  after(ctx, task, t.pullStartMs, () => {
    task.pullStartedAt = ctx.clock.nowMs();
  });
  if (behavior.kind === 'image-pull-failure') {
    const image = essentialContainer(task)?.image ?? 'unknown';
    after(ctx, task, t.pullFailMs, () =>
      failToStart(ctx, task, behavior.reason ?? pullFailureReason(image), true),
    );
    return;
  }
  after(ctx, task, t.pullStopMs, () => {
    task.pullStoppedAt = ctx.clock.nowMs();
  });
  after(ctx, task, t.runningMs, () => toRunning(ctx, task, targetGroupArn));
};
