import { InvalidParameterException, StopTaskCommand } from '@aws-sdk/client-ecs';
import type { EcsOperations } from './operations.ts';
import type { StopTaskOutcome } from './port.ts';

/** StopTask, safe to repeat. */
const taskStops: EcsOperations<'stopTask'> = {
  permissions: ['ecs:StopTask'],
  create: (client) => ({
    stopTask: async (cluster, taskArn, reason): Promise<StopTaskOutcome> => {
      try {
        const output = await client.send(
          new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) }),
        );
        return output.task?.lastStatus === 'STOPPED' ? 'already-stopped' : 'stopping';
      } catch (error) {
        // Stopping a task that ECS no longer knows has the effect asked for: it is not running.
        if (error instanceof InvalidParameterException && /not found/i.test(error.message))
          return 'not-found';
        throw error;
      }
    },
  }),
};

export { taskStops };
