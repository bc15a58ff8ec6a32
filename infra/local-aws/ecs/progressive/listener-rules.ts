import { isObject, type JsonObject } from '../../core/input.ts';
import type { EcsContext } from '../ecs-context.ts';
import type { ServiceRecord } from '../ecs-types.ts';

/**
 * The Elastic Load Balancing side of blue/green: each production and test listener rule forwards
 * to the service's two target groups with weights (percent) that ECS moves at each stage. The
 * production rule starts with the primary target group at 100 and the alternate at 0.
 */

/** One load balancer entry with its advancedConfiguration. */
export interface BlueGreenLoadBalancer {
  targetGroupArn: string;
  alternateTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule?: string;
}

/** The service's load balancers that carry an advancedConfiguration. */
export const blueGreenLoadBalancers = (service: ServiceRecord): BlueGreenLoadBalancer[] =>
  service.loadBalancers.flatMap((lb) => {
    const advanced = isObject(lb.advancedConfiguration) ? lb.advancedConfiguration : undefined;
    if (advanced === undefined || typeof lb.targetGroupArn !== 'string') return [];
    return [
      {
        targetGroupArn: lb.targetGroupArn,
        alternateTargetGroupArn: String(advanced.alternateTargetGroupArn),
        productionListenerRule: String(advanced.productionListenerRule),
        ...(typeof advanced.testListenerRule === 'string'
          ? { testListenerRule: advanced.testListenerRule }
          : {}),
      },
    ];
  });

/** Sets a rule's forward weights (target group ARN → percent). */
export const setRuleWeights = (
  ctx: EcsContext,
  ruleArn: string,
  weights: Record<string, number>,
): void => {
  ctx.state.listenerRules.set(ruleArn, { ...weights });
};

/** A rule's forward weights, or undefined for a rule ECS never configured. */
export const ruleWeights = (
  ctx: EcsContext,
  ruleArn: string,
): Record<string, number> | undefined => {
  const weights = ctx.state.listenerRules.get(ruleArn);
  return weights === undefined ? undefined : { ...weights };
};

/** Gives a new service's listener rules their starting weights (primary 100, alternate 0). */
export const initialiseRules = (ctx: EcsContext, service: ServiceRecord): void => {
  for (const lb of blueGreenLoadBalancers(service)) {
    const start = { [lb.targetGroupArn]: 100, [lb.alternateTargetGroupArn]: 0 };
    if (!ctx.state.listenerRules.has(lb.productionListenerRule))
      setRuleWeights(ctx, lb.productionListenerRule, start);
    if (lb.testListenerRule !== undefined && !ctx.state.listenerRules.has(lb.testListenerRule))
      setRuleWeights(ctx, lb.testListenerRule, start);
  }
};

/** Moves `greenShare` percent of a rule to `greenGroup` (the rest to the other group). */
export const shiftRule = (
  ctx: EcsContext,
  ruleArn: string,
  lb: BlueGreenLoadBalancer,
  greenGroup: string,
  greenShare: number,
): void => {
  const blueGroup =
    greenGroup === lb.targetGroupArn ? lb.alternateTargetGroupArn : lb.targetGroupArn;
  setRuleWeights(ctx, ruleArn, { [greenGroup]: greenShare, [blueGroup]: 100 - greenShare });
};

/** The load balancer dimension value ("app/<name>/<id>") of a listener or listener-rule ARN. */
export const loadBalancerDimension = (listenerOrRuleArn: string): string => {
  const match = /:(?:listener|listener-rule)\/((?:app|net)\/[^/]+\/[^/]+)/.exec(listenerOrRuleArn);
  return match?.[1] ?? listenerOrRuleArn;
};

/** The target group dimension value ("targetgroup/<name>/<id>") of a target group ARN. */
export const targetGroupDimension = (targetGroupArn: string): string => {
  const match = /:(targetgroup\/[^/]+\/[^/]+)$/.exec(targetGroupArn);
  return match?.[1] ?? targetGroupArn;
};

/** The rules and groups of a load balancer entry, for views. */
export const rulesView = (ctx: EcsContext, lb: BlueGreenLoadBalancer): JsonObject => ({
  production: ruleWeights(ctx, lb.productionListenerRule) ?? {},
  ...(lb.testListenerRule === undefined
    ? {}
    : { test: ruleWeights(ctx, lb.testListenerRule) ?? {} }),
});
