import * as v from 'valibot';
import { arn, lazy, opt, text, timestamp } from './schema-helpers.ts';

/** The lifecycle stages a hook may be registered at (DeploymentLifecycleHook.lifecycleStages). */
const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
type HookStage = (typeof HOOK_STAGES)[number];

// A weight map names at most the revisions of one deployment (green and its blue revisions).
const weights = () =>
  v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(2048)), v.pipe(v.number(), v.minValue(0))),
    v.check((map) => Object.keys(map).length <= 20, 'expected at most 20 service revisions'),
  );

/**
 * The payload ECS sends a Lambda lifecycle hook (lambda-lifecycle-hooks.html, "Lifecycle
 * payloads"). It is not an EventBridge event: no detail-type, no account, no time; the ARNs name
 * the account, region, cluster and service. `hookDetails` is the service's configured details
 * merged with what earlier IN_PROGRESS answers returned. `time` is not ECS's: a recording adds it
 * so that a replay decides at the time the invocation happened.
 */
const lifecycleHookSchema = lazy(() =>
  v.looseObject({
    executionId: text(256),
    lifecycleStage: v.picklist(HOOK_STAGES),
    resourceArn: arn(),
    executionDetails: v.looseObject({
      serviceArn: arn(),
      targetServiceRevisionArn: arn(),
      testTrafficWeights: v.optional(weights(), {}),
      productionTrafficWeights: v.optional(weights(), {}),
    }),
    hookDetails: opt(v.nullable(v.record(v.string(), v.unknown()))),
    time: opt(timestamp()),
  }),
);

type LifecycleHookEvent = v.InferOutput<ReturnType<typeof lifecycleHookSchema>>;

/** Whether raw input has the shape of a hook invocation rather than an EventBridge event. */
const looksLikeHookInvocation = (raw: Record<string, unknown>): boolean =>
  !('detail-type' in raw) && 'executionId' in raw && 'lifecycleStage' in raw;

export {
  HOOK_STAGES,
  type HookStage,
  type LifecycleHookEvent,
  lifecycleHookSchema,
  looksLikeHookInvocation,
};
