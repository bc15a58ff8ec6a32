import { randomBytes } from 'node:crypto';
import { uuid } from '../../core/ids.ts';
import { isObject, type JsonObject } from '../../core/input.ts';
import type { EcsContext } from '../ecs-context.ts';
import { emitHookStateChange } from './hook-events.ts';
import type { HookExecution, HookStage, ServiceDeploymentRecord } from './progressive-types.ts';

/** What a stage's hooks report back to the deployment engine. */
export interface StageOutcome {
  /** Every hook of the stage succeeded (or timed out with CONTINUE). */
  done(): void;
  /** A hook failed, timed out with ROLLBACK, or was rolled back: ECS rolls back. */
  fail(reason: string): void;
}

/** Traffic weights of the invocation payload (service-revision ARN → percent). */
export interface PayloadWeights {
  test: Record<string, number>;
  production: Record<string, number>;
}

/** The statusReason ECS reports for a hook problem (containers-roadmap #2664). */
export const HOOK_FAILURE_REASON = 'deployment failed: hook execution failure(s) detected';

// "By default, the delay is 30 seconds" (Lambda hooks page).
const DEFAULT_CALLBACK_DELAY_SECONDS = 30;
const HOOK_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'IN_PROGRESS']);
const outcomes = new WeakMap<ServiceDeploymentRecord, StageOutcome & { check(): void }>();

// Pause hook ids look like "ecs-pause-" and 41 URL-safe characters (API reference examples); the
// form of a Lambda hook's id is not documented, so it borrows the shape.
const hookIdFor = (targetType: string): string =>
  `ecs-${targetType === 'PAUSE' ? 'pause' : 'lambda'}-${randomBytes(31).toString('base64url').slice(0, 41)}`;

const settled = (exec: HookExecution): boolean =>
  exec.status === 'SUCCEEDED' ||
  (exec.status === 'TIMED_OUT' && exec.hook.timeoutAction === 'CONTINUE');

const cancel = (exec: HookExecution): void => {
  for (const timer of exec.timers.splice(0)) timer.cancel();
};

type Answer =
  | { status: 'SUCCEEDED' | 'FAILED' }
  | { status: 'IN_PROGRESS'; delay: number; details?: JsonObject };

// "If your function doesn't return a valid hookStatus, or if it fails, Amazon ECS rolls back."
const answerOf = (value: unknown): Answer | undefined => {
  if (!isObject(value) || !HOOK_STATUSES.has(String(value.hookStatus))) return undefined;
  if (value.hookStatus !== 'IN_PROGRESS')
    return { status: value.hookStatus as 'SUCCEEDED' | 'FAILED' };
  const delay = value.callBackDelay ?? DEFAULT_CALLBACK_DELAY_SECONDS;
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) return undefined;
  if (value.hookDetails !== undefined && !isObject(value.hookDetails)) return undefined;
  return {
    status: 'IN_PROGRESS',
    delay,
    ...(isObject(value.hookDetails) ? { details: value.hookDetails } : {}),
  };
};

const invoke = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  exec: HookExecution,
  weights: PayloadWeights,
): void => {
  const epoch = d.epoch;
  const payload = {
    executionId: exec.executionId,
    lifecycleStage: exec.stage,
    resourceArn: d.arn,
    executionDetails: {
      serviceArn: d.serviceArn,
      targetServiceRevisionArn: d.targetRevisionArn,
      testTrafficWeights: weights.test,
      productionTrafficWeights: weights.production,
    },
    ...(exec.details === undefined ? {} : { hookDetails: exec.details }),
  };
  const current = (): boolean => d.epoch === epoch && exec.status === 'IN_PROGRESS';
  const outcome = (): (StageOutcome & { check(): void }) | undefined => outcomes.get(d);
  void ctx.track(ctx.lambda.invoke(String(exec.hook.hookTargetArn), payload)).then(
    (value) => {
      if (!current()) return;
      const answer = answerOf(value);
      if (answer === undefined || answer.status === 'FAILED') {
        exec.status = 'FAILED';
        cancel(exec);
        outcome()?.fail(HOOK_FAILURE_REASON);
      } else if (answer.status === 'SUCCEEDED') {
        exec.status = 'SUCCEEDED';
        cancel(exec);
        outcome()?.check();
      } else if (answer.status === 'IN_PROGRESS') {
        // ECS merges the returned hookDetails and passes them on the next invocation.
        if (answer.details !== undefined)
          exec.details = { ...(isObject(exec.details) ? exec.details : {}), ...answer.details };
        exec.timers.push(
          ctx.clock.schedule(answer.delay * 1000, () => {
            if (current()) invoke(ctx, d, exec, weights);
          }),
        );
      }
    },
    () => {
      if (!current()) return;
      exec.status = 'FAILED';
      cancel(exec);
      outcome()?.fail(HOOK_FAILURE_REASON);
    },
  );
};

const timeOut = (ctx: EcsContext, d: ServiceDeploymentRecord, exec: HookExecution): void => {
  exec.status = 'TIMED_OUT';
  cancel(exec);
  if (exec.hook.targetType === 'PAUSE') emitHookStateChange(ctx, d, exec, 'HOOK_TIMED_OUT');
  const outcome = outcomes.get(d);
  if (exec.hook.timeoutAction === 'ROLLBACK')
    outcome?.fail(`lifecycle hook ${exec.hookId} timed out at ${exec.stage}`);
  else outcome?.check();
};

/**
 * Runs every hook configured at `stage`, all at once: Lambda hooks are invoked with the documented
 * payload and re-invoked after `callBackDelay` while they answer IN_PROGRESS; pause hooks wait for
 * ContinueServiceDeployment. Each has its timeout. `outcome` hears when all succeeded or one failed.
 */
export const runStageHooks = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  stage: HookStage,
  weights: PayloadWeights,
  outcome: StageOutcome,
): void => {
  // Pause hooks are not allowed at the two stages a rollback re-runs.
  const configured = d.config.hooks.filter((h) => h.lifecycleStages.includes(stage));
  const now = ctx.clock.nowMs();
  d.hooks = configured.map((hook) => ({
    hookId: hookIdFor(hook.targetType),
    hook,
    stage,
    status: hook.targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
    expiresAt: now + hook.timeoutInMinutes * 60_000,
    executionId: uuid(),
    ...(hook.hookDetails === undefined ? {} : { details: structuredClone(hook.hookDetails) }),
    timers: [],
  }));
  d.hookHistory.push(...d.hooks);
  const epoch = d.epoch;
  let finished = false;
  const check = (): void => {
    if (finished || d.epoch !== epoch || !d.hooks.every(settled)) return;
    finished = true;
    outcome.done();
  };
  outcomes.set(d, {
    check,
    done: check,
    fail: (reason) => {
      if (finished || d.epoch !== epoch) return;
      finished = true;
      outcome.fail(reason);
    },
  });
  if (d.hooks.length === 0) {
    check();
    return;
  }
  for (const exec of d.hooks) {
    exec.timers.push(
      ctx.clock.scheduleAt(exec.expiresAt, () => {
        if (
          d.epoch === epoch &&
          (exec.status === 'IN_PROGRESS' || exec.status === 'AWAITING_ACTION')
        )
          timeOut(ctx, d, exec);
      }),
    );
    if (exec.hook.targetType === 'PAUSE') emitHookStateChange(ctx, d, exec, 'HOOK_AWAITING_ACTION');
    else invoke(ctx, d, exec, weights);
  }
};

/** ContinueServiceDeployment on a pause hook that awaits action. */
export const continuePauseHook = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  exec: HookExecution,
  action: 'CONTINUE' | 'ROLLBACK',
): void => {
  cancel(exec);
  exec.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
  emitHookStateChange(ctx, d, exec, action === 'CONTINUE' ? 'HOOK_SUCCEEDED' : 'HOOK_FAILED');
  const outcome = outcomes.get(d);
  if (action === 'CONTINUE') outcome?.check();
  else outcome?.fail(`ContinueServiceDeployment rolled back at lifecycle hook ${exec.hookId}`);
};

/**
 * Ends the current stage's hooks when the deployment leaves it for a rollback: timers stop, and a
 * pause hook still awaiting action fails (its question is closed with HOOK_FAILED).
 */
export const abandonStageHooks = (ctx: EcsContext, d: ServiceDeploymentRecord): void => {
  outcomes.delete(d);
  for (const exec of d.hooks) {
    cancel(exec);
    if (exec.status === 'AWAITING_ACTION') {
      exec.status = 'FAILED';
      emitHookStateChange(ctx, d, exec, 'HOOK_FAILED');
    } else if (exec.status === 'IN_PROGRESS') exec.status = 'FAILED';
  }
};
