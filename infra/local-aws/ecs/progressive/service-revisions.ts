import { randomDigits } from '../../core/ids.ts';
import { compact, isObject, type JsonObject, readInput } from '../../core/input.ts';
import { epochSeconds } from '../../core/time-format.ts';
import { type EcsContext, ecsErrors, findTaskDefinition } from '../ecs-context.ts';
import type { ServiceRecord } from '../ecs-types.ts';
import type { ServiceRevisionRecord } from './progressive-types.ts';

/** ARN of a service revision: `…:service-revision/<cluster>/<service>/<19 digits>`. */
const revisionArn = (ctx: EcsContext, service: ServiceRecord): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service-revision/${service.clusterName}/${service.name}/${randomDigits(19)}`;

/** Records the service revision a new deployment runs, served by `targetGroupArn`. */
export const createRevision = (
  ctx: EcsContext,
  service: ServiceRecord,
  deploymentId: string,
  targetGroupArn: string | undefined,
  productionListenerRule: string | undefined,
): ServiceRevisionRecord => {
  const td = findTaskDefinition(ctx, service.taskDefinitionArn);
  const containers = (
    Array.isArray(td?.definition.containerDefinitions) ? td.definition.containerDefinitions : []
  ).filter(isObject);
  const revision: ServiceRevisionRecord = {
    arn: revisionArn(ctx, service),
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    taskDefinitionArn: service.taskDefinitionArn,
    deploymentId,
    createdAt: ctx.clock.nowMs(),
    loadBalancers: structuredClone(service.loadBalancers),
    containerImages: containers.map((c) => ({ containerName: c.name, image: c.image })),
    ...compact({
      launchType: service.launchType,
      capacityProviderStrategy: service.capacityProviderStrategy,
      platformVersion: service.platformVersion,
      platformFamily: service.platformFamily,
      networkConfiguration: service.networkConfiguration,
      targetGroupArn,
      productionListenerRule,
    }),
  };
  ctx.state.serviceRevisions.set(revision.arn, revision);
  return revision;
};

/** A revision's resolvedConfiguration: the target group that serves it and the rule to it. */
const revisionView = (revision: ServiceRevisionRecord): JsonObject =>
  compact({
    serviceRevisionArn: revision.arn,
    serviceArn: revision.serviceArn,
    clusterArn: revision.clusterArn,
    taskDefinition: revision.taskDefinitionArn,
    capacityProviderStrategy: revision.capacityProviderStrategy,
    launchType: revision.launchType,
    platformVersion: revision.platformVersion,
    platformFamily: revision.platformFamily,
    loadBalancers: revision.loadBalancers,
    networkConfiguration: revision.networkConfiguration,
    containerImages: revision.containerImages,
    createdAt: epochSeconds(revision.createdAt),
    resolvedConfiguration:
      revision.targetGroupArn === undefined
        ? undefined
        : {
            loadBalancers: [
              compact({
                targetGroupArn: revision.targetGroupArn,
                productionListenerRule: revision.productionListenerRule,
              }),
            ],
          },
  });

/** DescribeServiceRevisions: at most 20 ARNs; unknown ones are `MISSING` failures. */
export const describeServiceRevisions = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const arns = read.optStrArr('serviceRevisionArns');
  if (arns === undefined) read.str('serviceRevisionArns');
  if (arns === undefined || arns.length === 0)
    throw ecsErrors.invalid('serviceRevisionArns cannot be empty.');
  if (arns.length > 20)
    throw ecsErrors.invalid('You can specify a maximum of 20 service revision ARNs.');
  const serviceRevisions: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const arn of arns) {
    const revision = ctx.state.serviceRevisions.get(arn);
    if (revision === undefined) failures.push({ arn, reason: 'MISSING' });
    else serviceRevisions.push(revisionView(revision));
  }
  return { serviceRevisions, failures };
};
