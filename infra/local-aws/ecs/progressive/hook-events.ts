import type { EcsContext } from '../ecs-context.ts';
import type { HookExecution, ServiceDeploymentRecord } from './progressive-types.ts';

/** `eventName`s of the "ECS Hook State Change" event this model emits for pause hooks. */
export type HookEventName =
  | 'HOOK_AWAITING_ACTION'
  | 'HOOK_SUCCEEDED'
  | 'HOOK_FAILED'
  | 'HOOK_TIMED_OUT';

/**
 * Emits an "ECS Hook State Change" event as the developer guide's hook events page shows it:
 * `resources` holds the service deployment ARN; `detail` names the hook, its stage, when it
 * expires, and the cluster, service and service deployment.
 */
export const emitHookStateChange = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  exec: HookExecution,
  eventName: HookEventName,
): void => {
  ctx.bus.emit({
    detailType: 'ECS Hook State Change',
    source: 'aws.ecs',
    resources: [d.arn],
    detail: {
      eventType: 'INFO',
      eventName,
      hookId: exec.hookId,
      hookType: exec.hook.targetType,
      expiresAt: new Date(exec.expiresAt).toISOString(),
      lifecycleStage: exec.stage,
      clusterArn: d.clusterArn,
      serviceArn: d.serviceArn,
      serviceDeploymentArn: d.arn,
      updatedAt: new Date(ctx.clock.nowMs()).toISOString(),
    },
  });
};
