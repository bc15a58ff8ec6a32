import * as v from 'valibot';
import { arn, envelope, eventType, lazy, opt, text, timestamp } from './schema-helpers.ts';

/**
 * "ECS Hook State Change" (ecs_hook_state_change_events.html): a lifecycle hook of a service
 * deployment changed state. Pause hooks emit HOOK_AWAITING_ACTION, then HOOK_SUCCEEDED (continued),
 * HOOK_FAILED (rolled back) or HOOK_TIMED_OUT. The event names no service or revision beyond its
 * ARNs; `resources` is absent in one of the documented examples.
 */
const hookStateChangeSchema = lazy(() =>
  v.looseObject({
    ...envelope(),
    'detail-type': v.literal('ECS Hook State Change'),
    source: v.literal('aws.ecs'),
    detail: v.looseObject({
      eventType: eventType(),
      eventName: text(64),
      hookId: text(256),
      hookType: text(32),
      expiresAt: opt(timestamp()),
      lifecycleStage: text(64),
      clusterArn: opt(arn()),
      serviceArn: arn(),
      serviceDeploymentArn: arn(),
      updatedAt: timestamp(),
    }),
  }),
);

type HookStateChangeEvent = v.InferOutput<ReturnType<typeof hookStateChangeSchema>>;

export { type HookStateChangeEvent, hookStateChangeSchema };
