import type { EcsPort } from '#aws/ecs/port.ts';
import type { ServiceDeploymentsPort } from '#aws/ecs/service-deployments.ts';
import type { MetricPoints } from './analysis/model.ts';
import type { MetricRequest } from './analysis/plan.ts';
import type { DeploymentProgress } from './records.ts';

/** Reads CloudWatch metrics (GetMetricData). */
interface MetricsPort {
  /** Every query's values by period start; throws when CloudWatch cannot answer. */
  read(request: MetricRequest): Promise<MetricPoints>;
}

/** The hook function's memory of deployments. Writes are whole items, safe to repeat. */
interface DeliveryStore {
  progress(
    cluster: string,
    service: string,
    deploymentId: string,
  ): Promise<DeploymentProgress | undefined>;
  saveProgress(progress: DeploymentProgress): Promise<void>;
}

/** What the hook function reads and writes. */
interface DeliveryPorts {
  ecs: EcsPort;
  serviceDeployments: ServiceDeploymentsPort;
  metrics: MetricsPort;
  deliveryStore: DeliveryStore;
  /** The time, as load sees it (the decision reads it from the state). */
  clock: () => Date;
}

export type { DeliveryPorts, DeliveryStore, MetricsPort };
