import type { EcsContext } from '../ecs-context.ts';
import type { ServiceRecord } from '../ecs-types.ts';
import type { PayloadWeights } from './lifecycle-hooks.ts';
import { blueGreenLoadBalancers, ruleWeights } from './listener-rules.ts';
import type {
  DeploymentPhase,
  ProgressiveConfig,
  ServiceDeploymentRecord,
} from './progressive-types.ts';

/**
 * The stages of a blue/green-family deployment in ECS's documented order: RECONCILE_SERVICE (only
 * when more than one revision is active), PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP,
 * TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, then PRE_PRODUCTION_TRAFFIC_SHIFT and
 * PRODUCTION_TRAFFIC_SHIFT at every traffic step (a step's bake time after it, except after 100%),
 * POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME and CLEAN_UP. A first deployment has no blue to shift
 * from: green takes production in one step.
 */
export const deploymentPlan = (
  config: ProgressiveConfig,
  hasBlue: boolean,
  reconcile: boolean,
): DeploymentPhase[] => {
  const plan: DeploymentPhase[] = [];
  if (reconcile) plan.push({ stage: 'RECONCILE_SERVICE', action: 'reconcile', hooks: true });
  plan.push(
    { stage: 'PRE_SCALE_UP', action: 'none', hooks: true },
    { stage: 'SCALE_UP', action: 'scale-up', hooks: false },
    { stage: 'POST_SCALE_UP', action: 'none', hooks: true },
    { stage: 'TEST_TRAFFIC_SHIFT', action: 'test-shift', hooks: true },
    { stage: 'POST_TEST_TRAFFIC_SHIFT', action: 'none', hooks: true },
  );
  const steps = hasBlue ? config.steps : [100];
  steps.forEach((weight, i) => {
    plan.push(
      { stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', action: 'none', hooks: true },
      { stage: 'PRODUCTION_TRAFFIC_SHIFT', action: 'shift', hooks: true, weight },
    );
    const bake = hasBlue ? (config.stepBakeMinutes[i] ?? 0) : 0;
    if (bake > 0)
      plan.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', action: 'bake', hooks: false, minutes: bake });
  });
  plan.push(
    { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', action: 'none', hooks: true },
    { stage: 'BAKE_TIME', action: 'bake', hooks: false, minutes: config.bakeTimeInMinutes },
    { stage: 'CLEAN_UP', action: 'clean-up', hooks: false },
  );
  return plan;
};

/**
 * A rollback: production traffic back to blue, then test traffic, re-invoking the hooks of
 * PRODUCTION_TRAFFIC_SHIFT and TEST_TRAFFIC_SHIFT (there is no rollback stage), then green scales in.
 */
export const rollbackPlan = (): DeploymentPhase[] => [
  { stage: 'PRODUCTION_TRAFFIC_SHIFT', action: 'shift-back', hooks: true },
  { stage: 'TEST_TRAFFIC_SHIFT', action: 'test-back', hooks: true },
  { stage: 'TEST_TRAFFIC_SHIFT', action: 'scale-down-green', hooks: false },
];

/** The target group of a revision, if it has one. */
const groupOf = (ctx: EcsContext, revisionArn: string | undefined): string | undefined =>
  revisionArn === undefined
    ? undefined
    : ctx.state.serviceRevisions.get(revisionArn)?.targetGroupArn;

/** Rule weights expressed per service revision (blue and green), as hook payloads carry them. */
const revisionWeights = (
  ctx: EcsContext,
  d: ServiceDeploymentRecord,
  weights: Record<string, number> | undefined,
  fallbackGreen: number,
): Record<string, number> => {
  const green = groupOf(ctx, d.targetRevisionArn);
  const out: Record<string, number> = {};
  if (weights === undefined || green === undefined) {
    out[d.targetRevisionArn] = fallbackGreen;
    if (d.blueRevisionArn !== undefined) out[d.blueRevisionArn] = 100 - fallbackGreen;
    return out;
  }
  out[d.targetRevisionArn] = weights[green] ?? 0;
  if (d.blueRevisionArn !== undefined) out[d.blueRevisionArn] = 100 - (weights[green] ?? 0);
  return out;
};

/**
 * The payload's weights at a stage (Lambda hooks page): test weights at TEST_TRAFFIC_SHIFT,
 * production weights at PRE_PRODUCTION_TRAFFIC_SHIFT (before the step) and PRODUCTION_TRAFFIC_SHIFT
 * (after it, or back on blue during a rollback); empty maps elsewhere.
 */
export const payloadWeights = (
  ctx: EcsContext,
  service: ServiceRecord,
  d: ServiceDeploymentRecord,
  phase: DeploymentPhase,
): PayloadWeights => {
  const lb = blueGreenLoadBalancers(service)[0];
  if (phase.stage === 'TEST_TRAFFIC_SHIFT') {
    const rule = lb?.testListenerRule;
    const fallback = phase.action === 'test-back' ? 0 : 100;
    return {
      test: revisionWeights(
        ctx,
        d,
        rule === undefined ? undefined : ruleWeights(ctx, rule),
        fallback,
      ),
      production: {},
    };
  }
  if (
    phase.stage === 'PRE_PRODUCTION_TRAFFIC_SHIFT' ||
    phase.stage === 'PRODUCTION_TRAFFIC_SHIFT'
  ) {
    const rule = lb?.productionListenerRule;
    return {
      test: {},
      production: revisionWeights(
        ctx,
        d,
        rule === undefined ? undefined : ruleWeights(ctx, rule),
        d.greenProductionWeight,
      ),
    };
  }
  return { test: {}, production: {} };
};
