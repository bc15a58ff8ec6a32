import type { ServiceDeploymentState } from '#aws/ecs/service-deployment-state.ts';
import type { HookInvocation } from '../hook/invocation.ts';
import { decodeRun, type GateRun } from '../hook/run-state.ts';
import type { DeploymentProgress } from '../records.ts';

/**
 * Green's production share the analysis judges at this stage: none before production traffic
 * (green has test traffic only), the share before the step at PRE_PRODUCTION_TRAFFIC_SHIFT (from
 * the payload, else the deployment's requested weight), all of it after the last shift.
 */
const shareAt = (inv: HookInvocation, deployment: ServiceDeploymentState | undefined): number => {
  if (inv.stage === 'POST_TEST_TRAFFIC_SHIFT') return 0;
  const requested = deployment?.target?.requestedProductionTrafficWeight;
  if (inv.stage === 'POST_PRODUCTION_TRAFFIC_SHIFT') return inv.productionShare ?? 100;
  return inv.productionShare ?? requested ?? 0;
};

const keyOf = (share: number): string => `share:${Number(share.toFixed(1))}`;

/**
 * The run of the analysis at this share: the one hookDetails carry (or the table, when it did
 * not fit), else a new one. A new run's window starts when green's share last changed: right
 * after Harbormaster let the previous step through (so that a step's bake time is measured), or
 * now when nothing was let through before.
 */
const currentRun = (
  inv: HookInvocation,
  progress: DeploymentProgress | undefined,
  share: number,
  asOf: Date,
): GateRun => {
  const key = keyOf(share);
  if (inv.details.run?.key === key) return inv.details.run;
  const stored = inv.details.storedRun === key ? decodeRun(progress?.runs[key]) : undefined;
  if (stored) return stored;
  const lastStep = progress?.passed.at(-1);
  return {
    key,
    stage: inv.stage,
    share,
    startedAt: lastStep && lastStep.share !== share ? lastStep.at : asOf.toISOString(),
    analyses: [],
  };
};

/**
 * A service's first deployment has no blue: ECS names no source revision (and the weights name
 * no other). Hooks fire on it too (AWS's samples pass it at once).
 */
const isFirstDeployment = (
  inv: HookInvocation,
  deployment: ServiceDeploymentState | undefined,
): boolean =>
  deployment
    ? deployment.source.every((s) => s.arn === inv.greenArn) && inv.blueArns.length === 0
    : inv.blueArns.length === 0;

/** When green was already judged good at this share (by an earlier stage of the deployment). */
const passedAt = (progress: DeploymentProgress | undefined, share: number) =>
  progress?.passed.find((p) => p.key === keyOf(share));

export { currentRun, isFirstDeployment, keyOf, passedAt, shareAt };
