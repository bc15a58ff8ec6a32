import { randomBytes } from 'node:crypto';
import type { EcsContext } from '../ecs-context.ts';
import type { DeploymentRecord, ServiceRecord } from '../ecs-types.ts';
import { enterPhase, supersede } from './deployment-engine.ts';
import { deploymentPlan } from './deployment-plan.ts';
import { blueGreenLoadBalancers, initialiseRules } from './listener-rules.ts';
import type { ServiceDeploymentRecord, ServiceRevisionRecord } from './progressive-types.ts';
import { createRevision } from './service-revisions.ts';
import { progressiveConfigOf } from './strategy-config.ts';

// Service deployment ids look like "r9i43YFjvgF_xlg7m2eJ1r" (22 URL-safe characters).
const deploymentArn = (ctx: EcsContext, service: ServiceRecord): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service-deployment/${service.clusterName}/${service.name}/${randomBytes(17).toString('base64url').slice(0, 22)}`;

/** Service deployments of a service, oldest first. */
export const deploymentsOf = (ctx: EcsContext, service: ServiceRecord): ServiceDeploymentRecord[] =>
  [...ctx.state.serviceDeployments.values()].filter((d) => d.serviceArn === service.arn);

const ONGOING = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

/** The service deployment still under way, if any. */
export const ongoingDeployment = (
  ctx: EcsContext,
  service: ServiceRecord,
): ServiceDeploymentRecord | undefined =>
  deploymentsOf(ctx, service).find((d) => ONGOING.has(d.status));

/** The revision of an `ecs-svc/…` deployment. */
const revisionOfDeployment = (
  ctx: EcsContext,
  deploymentId: string,
): ServiceRevisionRecord | undefined =>
  [...ctx.state.serviceRevisions.values()].find((r) => r.deploymentId === deploymentId);

// A service that used the ROLLING strategy before has a production deployment but no revision
// record here: record it, served by the primary target group, so the first progressive deployment
// has a blue to shift from.
const productionRevision = (
  ctx: EcsContext,
  service: ServiceRecord,
  previous: DeploymentRecord | undefined,
): ServiceRevisionRecord | undefined => {
  const known = service.productionRevisionArn;
  if (known !== undefined) return ctx.state.serviceRevisions.get(known);
  if (previous === undefined) return undefined;
  const lb = blueGreenLoadBalancers(service)[0];
  const taskDefinitionArn = service.taskDefinitionArn;
  service.taskDefinitionArn = previous.taskDefinitionArn;
  const revision = createRevision(
    ctx,
    service,
    previous.id,
    lb?.targetGroupArn,
    lb?.productionListenerRule,
  );
  service.taskDefinitionArn = taskDefinitionArn;
  service.productionRevisionArn = revision.arn;
  return revision;
};

/**
 * Starts a BLUE_GREEN, LINEAR or CANARY service deployment for the new `ecs-svc/…` deployment
 * `green`: records the target revision (served by the target group blue does not use), stops a
 * deployment still in progress, and runs the stages from the next clock step.
 */
export const startServiceDeployment = (
  ctx: EcsContext,
  service: ServiceRecord,
  green: DeploymentRecord,
): ServiceDeploymentRecord => {
  initialiseRules(ctx, service);
  const previous = service.deployments.find((x) => x !== green && x.status === 'PRIMARY');
  const ongoing = ongoingDeployment(ctx, service);
  if (ongoing !== undefined) supersede(ctx, ongoing);
  const blueRevision = productionRevision(
    ctx,
    service,
    previous ?? service.deployments.find((x) => x !== green),
  );
  const blue =
    blueRevision === undefined
      ? undefined
      : service.deployments.find((x) => x.id === blueRevision.deploymentId);
  const lb = blueGreenLoadBalancers(service)[0];
  const greenGroup =
    lb === undefined
      ? undefined
      : blueRevision?.targetGroupArn === lb.targetGroupArn
        ? lb.alternateTargetGroupArn
        : lb.targetGroupArn;
  const revision = createRevision(ctx, service, green.id, greenGroup, lb?.productionListenerRule);
  // Every other deployment still running tasks is a source revision; beyond blue they are scaled
  // in by RECONCILE_SERVICE.
  const others = service.deployments.filter((x) => x !== green);
  const superseded = others.filter((x) => x !== blue);
  const sources = others
    .map((x) => revisionOfDeployment(ctx, x.id)?.arn)
    .filter((arn): arn is string => arn !== undefined);
  green.desiredCount = 0;
  const config = progressiveConfigOf(service.deploymentConfiguration);
  const now = ctx.clock.nowMs();
  const d: ServiceDeploymentRecord = {
    arn: deploymentArn(ctx, service),
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    createdAt: now,
    updatedAt: now,
    sourceRevisionArns: sources,
    targetRevisionArn: revision.arn,
    status: 'PENDING',
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    config,
    hooks: [],
    hookHistory: [],
    plan: deploymentPlan(config, blue !== undefined, sources.length > 1),
    phaseIndex: 0,
    rollingBack: false,
    epoch: 0,
    timers: [],
    greenDeploymentId: green.id,
    supersededDeploymentIds: superseded.map((x) => x.id),
    greenProductionWeight: blue === undefined ? 100 : 0,
    ...(blue === undefined || blueRevision === undefined
      ? {}
      : { blueDeploymentId: blue.id, blueRevisionArn: blueRevision.arn }),
  };
  ctx.state.serviceDeployments.set(d.arn, d);
  d.timers.push(
    ctx.clock.schedule(0, () => {
      if (d.epoch === 0) enterPhase(ctx, d);
    }),
  );
  return d;
};
