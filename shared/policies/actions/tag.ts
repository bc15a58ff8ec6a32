import type { EcsPort } from '#aws/ecs/port.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Tag a task definition revision (e.g. as non-compliant, naming the rules it breaks). */
interface TagAction {
  type: 'tag';
  taskDefinitionArn: string;
  tags: Record<string, string>;
}

/** Tags a task definition revision; tagging again with the same values changes nothing. */
const tagRunner: ActionRunner<TagAction, { ecs: EcsPort }> = {
  permissions: ['ecs:TagResource'],
  describe: (action) =>
    `tag ${shortTaskDefinition(action.taskDefinitionArn)} with ${Object.entries(action.tags)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`,
  run: async (action, { ports }) => {
    await ports.ecs.tagResource(action.taskDefinitionArn, action.tags);
    return { status: 'done', detail: `tagged ${Object.keys(action.tags).join(', ')}` };
  },
};

export { type TagAction, tagRunner };
