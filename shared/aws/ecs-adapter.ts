import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { ServiceState } from '../core/ecs-state.ts';
import type { EcsPort } from '../core/ports.ts';
import { toServiceState } from './ecs-mapping.ts';

/** EcsPort over the ECS API. */
const createEcsAdapter = (client: ECSClient): EcsPort => ({
  describeService: async (cluster, service): Promise<ServiceState | undefined> => {
    const output = await client.send(
      new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }),
    );
    const found = output.services?.[0];
    return found ? toServiceState(found) : undefined;
  },
});

export { createEcsAdapter };
