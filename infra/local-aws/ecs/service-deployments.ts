import { deploymentId } from '../core/ids.ts';
import { compact, isObject, type JsonObject } from '../core/input.ts';
import { type EcsContext, ecsErrors } from './ecs-context.ts';
import { emitDeploymentEvent } from './ecs-events.ts';
import type {
  ClusterRecord,
  DeploymentRecord,
  ServiceRecord,
  TaskDefinitionRecord,
} from './ecs-types.ts';
import { startServiceDeployment } from './progressive/deployment-start.ts';
import { isProgressive } from './progressive/strategy-config.ts';
import { resolvePlacement } from './task-launch.ts';
import { checkNetwork } from './task-operations.ts';

/** Normalised deploymentConfiguration (breaker off, 200% / 100% by default), merged over `current`. */
export const deploymentConfiguration = (
  given: JsonObject | undefined,
  current: JsonObject = {},
): JsonObject => {
  const merged: JsonObject = { ...current, ...(given ?? {}) };
  const breaker = isObject(merged.deploymentCircuitBreaker) ? merged.deploymentCircuitBreaker : {};
  return {
    ...merged,
    deploymentCircuitBreaker: { enable: false, rollback: false, ...breaker },
    maximumPercent: typeof merged.maximumPercent === 'number' ? merged.maximumPercent : 200,
    minimumHealthyPercent:
      typeof merged.minimumHealthyPercent === 'number' ? merged.minimumHealthyPercent : 100,
  };
};

/** Validates launch type / strategy exclusivity, Fargate compatibility and networking. */
export const checkLaunch = (
  cluster: ClusterRecord,
  td: TaskDefinitionRecord,
  launchType: string | undefined,
  strategy: JsonObject[] | undefined,
  network: JsonObject | undefined,
): void => {
  if (launchType !== undefined && strategy !== undefined && strategy.length > 0) {
    throw ecsErrors.invalid(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  const placement = resolvePlacement(cluster, launchType, strategy);
  const fargate = placement.launchType === 'FARGATE';
  if (fargate && !td.compatibilities.includes('FARGATE')) {
    throw ecsErrors.invalid('Task definition does not support launch_type FARGATE.');
  }
  checkNetwork(td, network, fargate);
};

const newDeployment = (ctx: EcsContext, service: ServiceRecord): DeploymentRecord => {
  const now = ctx.clock.nowMs();
  const id = deploymentId();
  const rolling = service.deploymentController.type === 'ECS';
  const fargate =
    service.launchType === 'FARGATE' ||
    (service.capacityProviderStrategy ?? []).some((s) =>
      String(s.capacityProvider).startsWith('FARGATE'),
    );
  return {
    id,
    status: 'PRIMARY',
    taskDefinitionArn: service.taskDefinitionArn,
    desiredCount: service.desiredCount,
    createdAt: now,
    updatedAt: now,
    failedTasks: 0,
    breakerEvaluating: true,
    breakerStage: 1,
    ...compact({
      launchType: service.launchType,
      capacityProviderStrategy: service.capacityProviderStrategy,
      platformVersion: fargate
        ? service.platformVersion === 'LATEST' || service.platformVersion === undefined
          ? '1.4.0'
          : service.platformVersion
        : undefined,
      platformFamily: fargate ? 'Linux' : undefined,
      networkConfiguration: service.networkConfiguration,
      rolloutState: rolling ? ('IN_PROGRESS' as const) : undefined,
      rolloutStateReason: rolling ? `ECS deployment ${id} in progress.` : undefined,
    }),
  };
};

/** Makes a new PRIMARY deployment (old PRIMARY becomes ACTIVE) and reports it IN_PROGRESS. */
export const startDeployment = (ctx: EcsContext, service: ServiceRecord): void => {
  const deployment = newDeployment(ctx, service);
  for (const d of service.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
  service.deployments.unshift(deployment);
  // A new deployment returns a throttled service to normal immediately (service throttle logic).
  service.startFailures = 0;
  service.launchNotBefore = 0;
  service.startImpairedReported = false;
  service.steady = false;
  if (deployment.rolloutState !== undefined) {
    emitDeploymentEvent(
      ctx,
      service,
      deployment,
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      deployment.rolloutStateReason ?? '',
    );
  }
  // BLUE_GREEN, LINEAR and CANARY: the stages run from the next clock step.
  if (isProgressive(service)) startServiceDeployment(ctx, service, deployment);
};
