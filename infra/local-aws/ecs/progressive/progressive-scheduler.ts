import type { EcsContext } from '../ecs-context.ts';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from '../ecs-types.ts';
import { launchFor, requestReconcile, stopForScaling } from '../service-scheduler.ts';
import { phaseCaughtUp } from './deployment-engine.ts';
import { ongoingDeployment } from './deployment-start.ts';

const healthy = (t: TaskRecord): boolean => t.lastStatus === 'RUNNING' && t.healthy;

const revisionGroup = (ctx: EcsContext, deploymentId: string): string | undefined =>
  [...ctx.state.serviceRevisions.values()].find((r) => r.deploymentId === deploymentId)
    ?.targetGroupArn;

/**
 * The service scheduler for BLUE_GREEN, LINEAR and CANARY services: blue and green run side by
 * side (no maximumPercent/minimumHealthyPercent juggling), each `ecs-svc/…` deployment kept at the
 * task count the deployment engine gives it (the service's desired count, or 0 before SCALE_UP and
 * after CLEAN_UP or a rollback), replacing tasks that stop, with the service throttle's back-off.
 */
export const reconcileProgressive = (
  ctx: EcsContext,
  service: ServiceRecord,
  tasks: TaskRecord[],
): void => {
  const now = ctx.clock.nowMs();
  const live = (d: DeploymentRecord): TaskRecord[] =>
    tasks.filter((t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING');
  for (const d of service.deployments) {
    // A deployment the engine keeps running follows the service's desired count.
    if (d.desiredCount > 0) d.desiredCount = service.desiredCount;
    const running = live(d);
    if (running.length > d.desiredCount) {
      const surplus = [...running].sort(
        (a, b) => Number(healthy(a)) - Number(healthy(b)) || b.createdAt - a.createdAt,
      );
      stopForScaling(ctx, service, surplus.slice(0, running.length - d.desiredCount));
    } else if (running.length < d.desiredCount) {
      if (now < service.launchNotBefore) requestReconcile(ctx, service, service.launchNotBefore);
      else {
        const need = d.desiredCount - running.length;
        launchFor(ctx, service, d, service.startFailures > 0 ? 1 : need, revisionGroup(ctx, d.id));
      }
    }
  }
  const ongoing = ongoingDeployment(ctx, service);
  // Deployments scaled to 0 leave DescribeServices once their last task has stopped.
  service.deployments = service.deployments.filter(
    (d) =>
      d.status === 'PRIMARY' ||
      d.desiredCount > 0 ||
      tasks.some((t) => t.deploymentId === d.id && t.lastStatus !== 'STOPPED') ||
      (ongoing !== undefined &&
        (d.id === ongoing.greenDeploymentId || d.id === ongoing.blueDeploymentId)),
  );
  if (ongoing === undefined || ongoing.waiting === undefined) return;
  const caughtUp = service.deployments.every((d) => {
    const mine = tasks.filter((t) => t.deploymentId === d.id);
    const running = mine.filter((t) => t.desiredStatus === 'RUNNING');
    return d.desiredCount === 0
      ? mine.every((t) => t.lastStatus === 'STOPPED')
      : running.length === d.desiredCount && running.every(healthy);
  });
  if (caughtUp) phaseCaughtUp(ctx, service, ongoing);
};
