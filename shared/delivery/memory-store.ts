import { serviceDeploymentFromArn } from '#kernel/events/arn.ts';
import type { DeliveryStore } from './ports.ts';
import type { DeploymentProgress } from './records.ts';

/** DeliveryStore in memory, for replays and tests. */
class MemoryDeliveryStore implements DeliveryStore {
  readonly #items = new Map<string, DeploymentProgress>();

  /** Every deployment's progress, for inspection. */
  get all(): DeploymentProgress[] {
    return [...this.#items.values()].map((p) => structuredClone(p));
  }

  async progress(cluster: string, service: string, deploymentId: string) {
    const found = this.#items.get(`${cluster}/${service}#${deploymentId}`);
    return found ? structuredClone(found) : undefined;
  }

  async saveProgress(progress: DeploymentProgress): Promise<void> {
    const id = serviceDeploymentFromArn(progress.deploymentArn)?.id ?? progress.deploymentArn;
    this.#items.set(`${progress.cluster}/${progress.service}#${id}`, structuredClone(progress));
  }
}

export { MemoryDeliveryStore };
