import type { EventOfKind } from '#kernel/events/parse.ts';
import { type HookDetailsState, readHookDetails } from './details.ts';

type HookEvent = EventOfKind<'lifecycle-hook'>;

/** What a hook invocation says, in Harbormaster's terms. */
interface HookInvocation {
  account: string;
  region: string;
  cluster: string;
  service: string;
  deploymentArn: string;
  /** The last segment of the service deployment ARN. */
  deploymentId: string;
  stage: HookEvent['raw']['lifecycleStage'];
  executionId: string;
  greenArn: string;
  /** The other revisions the weights name (blue). */
  blueArns: string[];
  /** Green's production and test weights when the payload gives them (percent). */
  productionShare: number | undefined;
  testShare: number | undefined;
  /**
   * ECS re-invokes the TEST_ and PRODUCTION_TRAFFIC_SHIFT hooks while it rolls back, with the
   * traffic going back to blue: green at 0 and another revision above it
   * (lambda-lifecycle-hooks.html, "Lifecycle hooks during rollback").
   */
  rollingBack: boolean;
  details: HookDetailsState;
}

const shareOf = (weights: Record<string, number>, arn: string): number | undefined => weights[arn];

const backToBlue = (weights: Record<string, number>, green: string): boolean =>
  weights[green] === 0 && Object.entries(weights).some(([arn, w]) => arn !== green && w > 0);

/** The facts of a hook invocation. */
const invocationOf = (event: HookEvent): HookInvocation => {
  const { raw, deployment } = event;
  const d = raw.executionDetails;
  const green = d.targetServiceRevisionArn;
  const prod = d.productionTrafficWeights;
  const test = d.testTrafficWeights;
  const blueArns = [...new Set([...Object.keys(prod), ...Object.keys(test)])].filter(
    (a) => a !== green,
  );
  const rollingBack =
    (raw.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && backToBlue(prod, green)) ||
    (raw.lifecycleStage === 'TEST_TRAFFIC_SHIFT' && backToBlue(test, green));
  return {
    account: event.meta.account,
    region: event.meta.region,
    cluster: deployment.cluster,
    service: deployment.service,
    deploymentArn: deployment.arn,
    deploymentId: deployment.id,
    stage: raw.lifecycleStage,
    executionId: raw.executionId,
    greenArn: green,
    blueArns,
    productionShare: shareOf(prod, green),
    testShare: shareOf(test, green),
    rollingBack,
    details: readHookDetails(raw.hookDetails),
  };
};

export { type HookInvocation, invocationOf };
