import {
  ClientException,
  DeregisterTaskDefinitionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import type { EcsOperations } from './operations.ts';
import type { DeregisterOutcome } from './port.ts';

/** TagResource and DeregisterTaskDefinition: what policies do to a non-compliant revision. */
const taskDefinitionChanges: EcsOperations<'tagResource' | 'deregisterTaskDefinition'> = {
  permissions: ['ecs:TagResource', 'ecs:DeregisterTaskDefinition'],
  create: (client) => ({
    tagResource: async (resourceArn, tags): Promise<void> => {
      await client.send(
        new TagResourceCommand({
          resourceArn,
          tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
        }),
      );
    },
    deregisterTaskDefinition: async (taskDefinition): Promise<DeregisterOutcome> => {
      try {
        const output = await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition }));
        return output.taskDefinition?.status === 'INACTIVE' ? 'deregistered' : 'already-inactive';
      } catch (error) {
        // Deregistering is safe to repeat: a revision that is gone or inactive is what was asked for.
        if (error instanceof ClientException && /inactive/i.test(error.message))
          return 'already-inactive';
        if (error instanceof ClientException && /does not exist|unable to/i.test(error.message))
          return 'not-found';
        throw error;
      }
    },
  }),
};

export { taskDefinitionChanges };
