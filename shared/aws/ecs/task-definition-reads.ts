import { ClientException, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { EcsOperations } from './operations.ts';
import type { TaskDefinitionState } from './state.ts';

/** DescribeTaskDefinition with its tags; undefined for a revision ECS does not know. */
const taskDefinitionReads: EcsOperations<'describeTaskDefinition'> = {
  permissions: ['ecs:DescribeTaskDefinition'],
  create: (client) => ({
    describeTaskDefinition: async (taskDefinition): Promise<TaskDefinitionState | undefined> => {
      try {
        const output = await client.send(
          new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }),
        );
        if (!output.taskDefinition) return undefined;
        const tags = Object.fromEntries(
          (output.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']),
        );
        return { definition: output.taskDefinition, tags };
      } catch (error) {
        if (
          error instanceof ClientException &&
          /unable to describe task definition/i.test(error.message)
        ) {
          return undefined;
        }
        throw error;
      }
    },
  }),
};

export { taskDefinitionReads };
