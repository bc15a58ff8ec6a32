import type { ServiceRevisionState } from '#aws/ecs/service-deployment-state.ts';
import { parseArn } from '#kernel/events/arn.ts';
import type { SideTarget } from './model.ts';

/** `targetgroup/<name>/<id>`, the TargetGroup dimension value, from a target group ARN. */
const targetGroupDimension = (arn: string | undefined): string | undefined => {
  const resource = arn ? parseArn(arn)?.resource : undefined;
  return resource?.startsWith('targetgroup/') ? resource : undefined;
};

/**
 * `app/<name>/<id>`, the LoadBalancer dimension value, from a listener or listener rule ARN
 * (`listener/app/<name>/<id>/<listener>` or `listener-rule/app/<name>/<id>/<listener>/<rule>`).
 */
const loadBalancerDimension = (arn: string | undefined): string | undefined => {
  const parts = (arn ? parseArn(arn)?.resource : undefined)?.split('/') ?? [];
  const [kind, type, name, id] = parts;
  if ((kind !== 'listener' && kind !== 'listener-rule') || !type || !name || !id) return undefined;
  return `${type}/${name}/${id}`;
};

/**
 * The target group a revision is served from: what ECS resolved for it (set while the revision
 * is active), else, for green, the configured group that blue does not use.
 */
const sideTarget = (
  revision: ServiceRevisionState | undefined,
  revisionArn: string,
  notThis?: string | undefined,
): SideTarget => {
  const resolved = revision?.resolvedLoadBalancers.find((lb) => lb.targetGroupArn);
  const configured = revision?.loadBalancers[0];
  const candidates = [configured?.targetGroupArn, configured?.alternateTargetGroupArn].filter(
    (arn): arn is string => !!arn && arn !== notThis,
  );
  const targetGroupArn =
    resolved?.targetGroupArn ?? (notThis !== undefined ? candidates[0] : undefined);
  const rule =
    resolved?.productionListenerRule ??
    revision?.loadBalancers.find((lb) => lb.productionListenerRule)?.productionListenerRule;
  return {
    revisionArn,
    targetGroupArn,
    targetGroup: targetGroupDimension(targetGroupArn),
    loadBalancer: loadBalancerDimension(rule),
  };
};

/** Green's and blue's targets: blue's first, so that green can be told apart from it. */
const comparisonTargets = (
  green: { arn: string; revision: ServiceRevisionState | undefined },
  blue: { arn: string; revision: ServiceRevisionState | undefined } | undefined,
): { green: SideTarget; blue: SideTarget | undefined } => {
  const blueTarget = blue ? sideTarget(blue.revision, blue.arn) : undefined;
  return {
    blue: blueTarget,
    green: sideTarget(green.revision, green.arn, blueTarget?.targetGroupArn ?? ''),
  };
};

export { comparisonTargets, loadBalancerDimension, targetGroupDimension };
