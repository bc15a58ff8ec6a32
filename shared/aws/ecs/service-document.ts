import type {
  CapacityProviderStrategyItem,
  DeploymentConfiguration,
  NetworkConfiguration,
  PlacementStrategy,
  Service,
} from '@aws-sdk/client-ecs';

/** A service: CreateService's input, or the service CreateService/UpdateService/DescribeServices return. */
interface ServiceDocument {
  serviceArn?: string | undefined;
  serviceName?: string | undefined;
  clusterArn?: string | undefined;
  taskDefinition?: string | undefined;
  desiredCount?: number | undefined;
  launchType?: string | undefined;
  capacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined;
  platformVersion?: string | undefined;
  networkConfiguration?: NetworkConfiguration | undefined;
  deploymentConfiguration?: DeploymentConfiguration | undefined;
  deploymentController?: { type?: string | undefined } | undefined;
  schedulingStrategy?: string | undefined;
  placementStrategy?: PlacementStrategy[] | undefined;
  deployments?: DeploymentDocument[] | undefined;
  tags?: { key?: string; value?: string }[] | undefined;
}

/** A deployment as a service description lists it. */
interface DeploymentDocument {
  id?: string | undefined;
  status?: string | undefined;
  taskDefinition?: string | undefined;
  createdAt?: unknown;
}

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

export { type DeploymentDocument, type ServiceDocument, toServiceDocument };
