import type { Service } from '@aws-sdk/client-ecs';
import type { ServiceDocument } from '#policies/documents.ts';

/** The fields of a DescribeServices service that policies read. */
const toServiceDocument = (s: Service): ServiceDocument => ({
  serviceArn: s.serviceArn,
  serviceName: s.serviceName,
  clusterArn: s.clusterArn,
  taskDefinition: s.taskDefinition,
  desiredCount: s.desiredCount,
  launchType: s.launchType,
  capacityProviderStrategy: s.capacityProviderStrategy,
  platformVersion: s.platformVersion,
  networkConfiguration: s.networkConfiguration,
  deploymentConfiguration: s.deploymentConfiguration,
  deploymentController: s.deploymentController,
  schedulingStrategy: s.schedulingStrategy,
  placementStrategy: s.placementStrategy,
  deployments: (s.deployments ?? []).map((d) => ({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    createdAt: d.createdAt,
  })),
  tags: (s.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
});

export { toServiceDocument };
