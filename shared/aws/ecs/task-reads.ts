import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { toTaskDetail } from './mapping.ts';
import type { EcsOperations } from './operations.ts';
import type { TaskListFilter, TaskListOptions } from './port.ts';
import type { TaskState } from './state.ts';

const DESCRIBE_TASKS_LIMIT = 100;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

/** ListTasks and DescribeTasks: the tasks ECS still knows (stopped ones for about an hour). */
const taskReads: EcsOperations<'listTasks' | 'describeTasks'> = {
  permissions: ['ecs:ListTasks', 'ecs:DescribeTasks'],
  create: (client) => ({
    describeTasks: async (cluster, taskArns): Promise<TaskState[]> => {
      const described: TaskState[] = [];
      for (const batch of chunks(taskArns, DESCRIBE_TASKS_LIMIT)) {
        const output = await client.send(
          new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] }),
        );
        described.push(...(output.tasks ?? []).map(toTaskDetail));
      }
      return described;
    },
    listTasks: async (
      cluster,
      filter: TaskListFilter,
      options: TaskListOptions = {},
    ): Promise<string[]> => {
      const limit = options.limit ?? Number.POSITIVE_INFINITY;
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const maxResults = Math.min(100, limit - arns.length);
        const output = await client.send(
          new ListTasksCommand({ cluster, ...filter, maxResults, nextToken }),
        );
        arns.push(...(output.taskArns ?? []));
        nextToken = output.nextToken;
      } while (nextToken && arns.length < limit);
      return arns;
    },
  }),
};

export { taskReads };
