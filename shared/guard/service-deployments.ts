import {
  ROLLING_BACK_STATUSES,
  type ServiceDeploymentState,
} from '#aws/ecs/service-deployment-state.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { DeploymentState, ServiceState } from '#aws/ecs/state.ts';

/**
 * The blue/green, linear and canary strategies' view of a deployment the guard judges: the
 * service deployment behind an `ecs-svc/...` deployment of DescribeServices, read from
 * ListServiceDeployments and DescribeServiceDeployments (status, lifecycleStage, rollback, the
 * source and target revisions) and DescribeServiceRevisions (their task definitions). A trigger
 * that fires rolls such a deployment back with StopServiceDeployment(ROLLBACK) while ECS still
 * can flip traffic back to blue; after CLEAN_UP blue is gone, and `afterCleanUp` says what to do.
 */
interface ServiceDeploymentFacts {
  deployment: ServiceDeploymentState;
  /** The last segment of its ARN (the alert thread of the deployment). */
  id: string;
  targetTaskDefinition: string | undefined;
  /** Blue's task definition: where a rollback goes back to. */
  sourceTaskDefinition: string | undefined;
}

const NON_ROLLING = new Set(['BLUE_GREEN', 'LINEAR', 'CANARY']);

/** Whether ECS runs the service's deployments with a blue/green, linear or canary strategy. */
const usesServiceDeployments = (ecs: Pick<ServiceState, 'deploymentController' | 'strategy'>) =>
  ecs.deploymentController === 'ECS' && NON_ROLLING.has(ecs.strategy ?? '');

// How many recent service deployments are read to find the one behind a deployment.
const RECENT = 3;
// Both records of one UpdateService are created together; this much apart is still the same one.
const SAME_DEPLOYMENT_MS = 60_000;

/**
 * The service deployments behind these deployments of a blue/green, linear or canary service:
 * the recent ones (ListServiceDeployments, one DescribeServiceDeployments), each matched to the
 * deployment created at the same time whose task definition its target revision runs (one
 * DescribeServiceRevisions). Three calls, only for such services.
 */
const serviceDeploymentsOf = async (
  port: ServiceDeploymentsPort,
  cluster: string,
  ecs: ServiceState,
  deployments: readonly (DeploymentState | undefined)[],
): Promise<Record<string, ServiceDeploymentFacts>> => {
  const wanted = deployments.filter((d): d is DeploymentState => d !== undefined);
  if (!usesServiceDeployments(ecs) || wanted.length === 0) return {};
  const briefs = await port.list(cluster, ecs.serviceName, { limit: RECENT });
  if (briefs.length === 0) return {};
  const described = await port.describe(briefs.map((b) => b.arn));
  const revisionArns = [
    ...new Set(
      described.flatMap((d) => [d.target?.arn, d.source[0]?.arn]).filter((a): a is string => !!a),
    ),
  ];
  const revisions = revisionArns.length > 0 ? await port.describeRevisions(revisionArns) : [];
  const taskDefinitionOf = (arn: string | undefined) =>
    arn ? revisions.find((r) => r.arn === arn)?.taskDefinition : undefined;
  const found: Record<string, ServiceDeploymentFacts> = {};
  for (const d of wanted) {
    const created = d.createdAt?.getTime();
    const match = described
      .filter((sd) => taskDefinitionOf(sd.target?.arn) === d.taskDefinition)
      .filter(
        (sd) =>
          created === undefined ||
          Math.abs((sd.createdAt?.getTime() ?? 0) - created) <= SAME_DEPLOYMENT_MS,
      )
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
    if (!match) continue;
    found[d.id] = {
      deployment: match,
      id: match.arn.split('/').pop() ?? match.arn,
      targetTaskDefinition: taskDefinitionOf(match.target?.arn),
      sourceTaskDefinition: taskDefinitionOf(match.source[0]?.arn),
    };
  }
  return found;
};

/** Where a service deployment stands for a rollback. */
type StopState = 'stoppable' | 'rolling-back' | 'rolled-back' | 'finished';

/**
 * Stoppable while ECS still runs it (service-deployment.html: PENDING, IN_PROGRESS); being rolled
 * back already; rolled back; or finished (SUCCESSFUL, after CLEAN_UP; or STOPPED or
 * ROLLBACK_FAILED), where only a new deployment can bring the previous revision back.
 */
const stopStateOf = (sd: ServiceDeploymentState): StopState => {
  if (sd.status === 'PENDING' || sd.status === 'IN_PROGRESS')
    return sd.lifecycleStage === 'CLEAN_UP' ? 'finished' : 'stoppable';
  if (ROLLING_BACK_STATUSES.has(sd.status) || sd.status === 'STOP_REQUESTED') return 'rolling-back';
  if (sd.status === 'ROLLBACK_SUCCESSFUL') return 'rolled-back';
  return 'finished';
};

/**
 * The service deployment a rollback stops with ROLLBACK, if it is stopped rather than redeployed:
 * a blue/green, linear or canary deployment ECS still runs.
 */
const stoppableOf = (sd: ServiceDeploymentFacts | undefined): { arn: string } | undefined =>
  sd && stopStateOf(sd.deployment) === 'stoppable' ? { arn: sd.deployment.arn } : undefined;

export {
  type ServiceDeploymentFacts,
  type StopState,
  serviceDeploymentsOf,
  stoppableOf,
  stopStateOf,
  usesServiceDeployments,
};
