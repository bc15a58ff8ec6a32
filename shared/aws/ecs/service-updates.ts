import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { EcsOperations } from './operations.ts';
import type { ServiceUpdate } from './port.ts';

/** UpdateService with a task definition only (a rollback). */
const serviceUpdates: EcsOperations<'updateServiceTaskDefinition'> = {
  permissions: ['ecs:UpdateService'],
  create: (client) => ({
    updateServiceTaskDefinition: async (
      cluster,
      service,
      taskDefinition,
    ): Promise<ServiceUpdate> => {
      const output = await client.send(
        new UpdateServiceCommand({ cluster, service, taskDefinition }),
      );
      const primary = output.service?.deployments?.find((d) => d.status === 'PRIMARY');
      return {
        deploymentId: primary?.id,
        taskDefinition: output.service?.taskDefinition ?? taskDefinition,
      };
    },
  }),
};

export { serviceUpdates };
