import type { EcsContext } from '../ecs-context.ts';
import { addServiceEvent, emitDeploymentEvent, emitServiceAction } from '../ecs-events.ts';
import type { DeploymentRecord, ServiceRecord } from '../ecs-types.ts';
import { requestReconcile } from '../service-scheduler.ts';
import { payloadWeights, rollbackPlan } from './deployment-plan.ts';
import { abandonStageHooks, runStageHooks } from './lifecycle-hooks.ts';
import { blueGreenLoadBalancers, shiftRule } from './listener-rules.ts';
import type { HookStage, ServiceDeploymentRecord } from './progressive-types.ts';

/** The service a deployment belongs to. */
export const serviceOfDeployment = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
): ServiceRecord | undefined =>
  [...ctx.state.services.values()].find((s) => s.arn === d.serviceArn);

const ecsDeployment = (
  service: ServiceRecord,
  id: string | undefined,
): DeploymentRecord | undefined =>
  id === undefined ? undefined : service.deployments.find((x) => x.id === id);

const touch = (ctx: EcsContext, d: ServiceDeploymentRecord): void => {
  d.updatedAt = ctx.clock.nowMs();
};

const clearTimers = (d: ServiceDeploymentRecord): void => {
  for (const timer of d.timers.splice(0)) timer.cancel();
};

/** Moves the production (or test) rule of every load balancer so green has `share` percent. */
const shift = (
  ctx: EcsContext,
  service: ServiceRecord,
  d: ServiceDeploymentRecord,
  rule: 'production' | 'test',
  share: number,
): void => {
  const green = ctx.state.serviceRevisions.get(d.targetRevisionArn)?.targetGroupArn;
  if (green === undefined) return;
  for (const lb of blueGreenLoadBalancers(service)) {
    const arn = rule === 'production' ? lb.productionListenerRule : lb.testListenerRule;
    if (arn !== undefined) shiftRule(ctx, arn, lb, green, share);
  }
  if (rule === 'production') d.greenProductionWeight = share;
};

/** Leaves the current phase for the next one at the next clock step. */
const next = (ctx: EcsContext, d: ServiceDeploymentRecord): void => {
  d.epoch += 1;
  d.phaseIndex += 1;
  const epoch = d.epoch;
  d.timers.push(
    ctx.clock.schedule(0, () => {
      if (d.epoch === epoch) enterPhase(ctx, d);
    }),
  );
};

const runHooks = (ctx: EcsContext, service: ServiceRecord, d: ServiceDeploymentRecord): void => {
  const phase = d.plan[d.phaseIndex];
  if (phase === undefined) return;
  if (!phase.hooks) {
    next(ctx, d);
    return;
  }
  runStageHooks(ctx, d, phase.stage as HookStage, payloadWeights(ctx, service, d, phase), {
    done: () => next(ctx, d),
    fail: (reason) => failDeployment(ctx, d, reason),
  });
};

/** Runs the current phase: its action, then (once the action is done) its stage's hooks. */
export const enterPhase = (ctx: EcsContext, d: ServiceDeploymentRecord): void => {
  const service = serviceOfDeployment(ctx, d);
  const phase = d.plan[d.phaseIndex];
  if (service === undefined || phase === undefined) return;
  const now = ctx.clock.nowMs();
  if (d.status === 'PENDING') {
    d.status = 'IN_PROGRESS';
    d.startedAt = now;
  }
  d.lifecycleStage = phase.stage;
  d.hooks = [];
  delete d.waiting;
  touch(ctx, d);
  const green = ecsDeployment(service, d.greenDeploymentId);
  const blue = ecsDeployment(service, d.blueDeploymentId);
  switch (phase.action) {
    case 'reconcile':
      shift(ctx, service, d, 'production', 0);
      shift(ctx, service, d, 'test', 0);
      for (const id of d.supersededDeploymentIds) {
        const old = ecsDeployment(service, id);
        if (old !== undefined) old.desiredCount = 0;
      }
      d.waiting = 'reconcile';
      break;
    case 'scale-up':
      if (green !== undefined) green.desiredCount = service.desiredCount;
      d.waiting = 'scale-up';
      break;
    case 'test-shift':
      shift(ctx, service, d, 'test', 100);
      break;
    case 'shift':
      shift(ctx, service, d, 'production', phase.weight ?? 100);
      break;
    case 'shift-back':
      shift(ctx, service, d, 'production', 0);
      break;
    case 'test-back':
      shift(ctx, service, d, 'test', 0);
      break;
    case 'bake': {
      const epoch = d.epoch;
      d.timers.push(
        ctx.clock.schedule((phase.minutes ?? 0) * 60_000, () => {
          if (d.epoch === epoch) next(ctx, d);
        }),
      );
      return;
    }
    case 'clean-up':
      if (blue !== undefined) blue.desiredCount = 0;
      d.waiting = 'clean-up';
      break;
    case 'scale-down-green':
      if (green !== undefined) green.desiredCount = 0;
      d.waiting = 'scale-down-green';
      break;
    default:
      break;
  }
  if (d.waiting !== undefined) requestReconcile(ctx, service);
  else runHooks(ctx, service, d);
};

/** Called by the scheduler after each pass: ends a phase whose tasks have caught up. */
export const phaseCaughtUp = (
  ctx: EcsContext,
  service: ServiceRecord,
  d: ServiceDeploymentRecord,
): void => {
  const waiting = d.waiting;
  if (waiting === undefined) return;
  delete d.waiting;
  if (waiting === 'reconcile') runHooks(ctx, service, d);
  else if (waiting === 'scale-up') next(ctx, d);
  else if (waiting === 'clean-up') finish(ctx, service, d, 'SUCCESSFUL');
  else
    finish(
      ctx,
      service,
      d,
      d.blueRevisionArn === undefined ? 'ROLLBACK_FAILED' : 'ROLLBACK_SUCCESSFUL',
    );
};

const finish = (
  ctx: EcsContext,
  service: ServiceRecord,
  d: ServiceDeploymentRecord,
  status: 'SUCCESSFUL' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED',
): void => {
  clearTimers(d);
  d.epoch += 1;
  d.status = status;
  d.finishedAt = ctx.clock.nowMs();
  touch(ctx, d);
  const green = ecsDeployment(service, d.greenDeploymentId);
  const blue = ecsDeployment(service, d.blueDeploymentId);
  if (status === 'SUCCESSFUL' && green !== undefined) {
    service.productionRevisionArn = d.targetRevisionArn;
    green.rolloutState = 'COMPLETED';
    green.rolloutStateReason = `ECS deployment ${green.id} completed.`;
    green.updatedAt = d.finishedAt;
    service.lastCompleted = structuredClone(green);
    emitDeploymentEvent(
      ctx,
      service,
      green,
      'SERVICE_DEPLOYMENT_COMPLETED',
      green.rolloutStateReason,
    );
    addServiceEvent(ctx, service, `(deployment ${green.id}) deployment completed.`);
  } else if (status === 'ROLLBACK_SUCCESSFUL' && blue !== undefined) {
    blue.updatedAt = d.finishedAt;
    emitDeploymentEvent(
      ctx,
      service,
      blue,
      'SERVICE_DEPLOYMENT_COMPLETED',
      `ECS deployment ${blue.id} completed.`,
    );
    addServiceEvent(ctx, service, `(deployment ${blue.id}) deployment completed.`);
  }
  if (status !== 'ROLLBACK_FAILED') {
    addServiceEvent(ctx, service, 'has reached a steady state.');
    emitServiceAction(ctx, service, 'SERVICE_STEADY_STATE', 'INFO');
    service.steady = true;
  }
  requestReconcile(ctx, service);
};

/**
 * Rolls a deployment back (a hook failed or timed out, ContinueServiceDeployment or
 * StopServiceDeployment asked): traffic goes back to blue, the traffic-shift hooks run again, green
 * scales in. A problem during the rollback itself ends it ROLLBACK_FAILED.
 */
export const failDeployment = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  reason: string,
): void => {
  const service = serviceOfDeployment(ctx, d);
  if (service === undefined) return;
  abandonStageHooks(ctx, d);
  clearTimers(d);
  d.epoch += 1;
  if (d.rollingBack) {
    d.status = 'ROLLBACK_FAILED';
    d.statusReason = reason;
    d.finishedAt = ctx.clock.nowMs();
    touch(ctx, d);
    return;
  }
  d.rollingBack = true;
  d.status = 'ROLLBACK_IN_PROGRESS';
  d.statusReason = reason;
  d.rollback = {
    reason,
    startedAt: ctx.clock.nowMs(),
    ...(d.blueRevisionArn === undefined ? {} : { serviceRevisionArn: d.blueRevisionArn }),
  };
  const green = ecsDeployment(service, d.greenDeploymentId);
  const blue = ecsDeployment(service, d.blueDeploymentId);
  if (green !== undefined) {
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = reason;
    green.status = blue === undefined ? 'PRIMARY' : 'ACTIVE';
  }
  if (blue !== undefined) {
    blue.status = 'PRIMARY';
    service.taskDefinitionArn = blue.taskDefinitionArn;
    emitDeploymentEvent(
      ctx,
      service,
      blue,
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      `ECS deployment rollback: rolling back to deploymentId ${blue.id}.`,
    );
  }
  d.plan = rollbackPlan();
  d.phaseIndex = 0;
  enterPhase(ctx, d);
};

/** StopServiceDeployment(ROLLBACK): ROLLBACK_REQUESTED now, the rollback at the next clock step. */
export const requestRollback = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  reason: string,
): void => {
  abandonStageHooks(ctx, d);
  clearTimers(d);
  d.epoch += 1;
  delete d.waiting;
  d.status = 'ROLLBACK_REQUESTED';
  touch(ctx, d);
  d.timers.push(ctx.clock.schedule(0, () => failDeployment(ctx, d, reason)));
};

/** A new deployment supersedes one still in progress: it stops where it is (STOPPED). */
export const supersede = (ctx: EcsContext, d: ServiceDeploymentRecord): void => {
  abandonStageHooks(ctx, d);
  clearTimers(d);
  d.epoch += 1;
  d.status = 'STOPPED';
  d.statusReason = 'Service deployment stopped: a new service deployment started.';
  d.stoppedAt = ctx.clock.nowMs();
  d.finishedAt = d.stoppedAt;
  touch(ctx, d);
};
