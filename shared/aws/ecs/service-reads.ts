import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { toServiceState } from './mapping.ts';
import type { EcsOperations } from './operations.ts';
import type { ServiceDocument } from './service-document.ts';
import { toServiceDocument } from './service-document.ts';
import type { ServiceState } from './state.ts';

/** DescribeServices: a service's deployments and tags, or its configuration for policies. */
const serviceReads: EcsOperations<'describeService' | 'describeServiceConfiguration'> = {
  permissions: ['ecs:DescribeServices'],
  create: (client) => {
    const describe = async (cluster: string, service: string) =>
      (
        await client.send(
          new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }),
        )
      ).services?.[0];
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
