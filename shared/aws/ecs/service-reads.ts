import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { toServiceState } from './mapping.ts';
import type { EcsOperations } from './operations.ts';
import type { ServiceDocument } from './service-document.ts';
import { toServiceDocument } from './service-document.ts';
import type { ServiceState } from './state.ts';

// DescribeServices answers for at most 10 services per call (API_DescribeServices.html).
const SERVICES_PER_CALL = 10;

interface Waiting {
  service: string;
  resolve: (found: Service | undefined) => void;
  reject: (error: unknown) => void;
}

const isNamed = (found: Service, service: string): boolean =>
  found.serviceName === service || found.serviceArn === service;

/**
 * DescribeServices for one service at a time, as the port asks, sent in batches: the services of
 * one cluster asked for in the same turn of the event loop go in one call per 10 (a fan-out over
 * 1,000 deployments costs 100 calls, not 1,000). A failed call fails every caller of its batch.
 */
const batchedDescribe = (client: ECSClient) => {
  const pending = new Map<string, Waiting[]>();
  const send = async (cluster: string, batch: Waiting[]) => {
    try {
      const services = [...new Set(batch.map((w) => w.service))];
      const output = await client.send(
        new DescribeServicesCommand({ cluster, services, include: ['TAGS'] }),
      );
      for (const w of batch) w.resolve(output.services?.find((s) => isNamed(s, w.service)));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };
  const flush = () => {
    for (const [cluster, waiting] of pending) {
      pending.delete(cluster);
      // Batches of 10 distinct services; a service asked for twice rides in the same batch.
      let batch: Waiting[] = [];
      const names = new Set<string>();
      for (const w of waiting) {
        if (!names.has(w.service) && names.size === SERVICES_PER_CALL) {
          void send(cluster, batch);
          batch = [];
          names.clear();
        }
        names.add(w.service);
        batch.push(w);
      }
      if (batch.length > 0) void send(cluster, batch);
    }
  };
  return (cluster: string, service: string): Promise<Service | undefined> =>
    new Promise((resolve, reject) => {
      const waiting = pending.get(cluster);
      if (waiting) waiting.push({ service, resolve, reject });
      else {
        if (pending.size === 0) queueMicrotask(flush);
        pending.set(cluster, [{ service, resolve, reject }]);
      }
    });
};

/** DescribeServices: a service's deployments and tags, or its configuration for policies. */
const serviceReads: EcsOperations<'describeService' | 'describeServiceConfiguration'> = {
  permissions: ['ecs:DescribeServices'],
  create: (client) => {
    const describe = batchedDescribe(client);
    return {
      describeService: async (cluster, service): Promise<ServiceState | undefined> => {
        const found = await describe(cluster, service);
        return found ? toServiceState(found) : undefined;
      },
      describeServiceConfiguration: async (
        cluster,
        service,
      ): Promise<ServiceDocument | undefined> => {
        const found = await describe(cluster, service);
        return found ? toServiceDocument(found) : undefined;
      },
    };
  },
};

export { serviceReads };
