import type { EcsPort } from '#aws/ecs/port.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';

/** Tag a task definition revision (e.g. as non-compliant, naming the rules it breaks). */
interface TagAction {
  type: 'tag';
  taskDefinitionArn: string;
  tags: Record<string, string>;
}

// The record of a side effect done outlives any redelivery of the event that decided it.
const KEEP_SECONDS = 7 * 24 * 60 * 60;

/** Tags a task definition revision, once per set of tags (a lease on both); tagging again with the same values changes nothing. */
const tagRunner: ActionRunner<TagAction, { ecs: EcsPort }> = {
  permissions: ['ecs:TagResource'],
  describe: (action) =>
    `tag ${shortTaskDefinition(action.taskDefinitionArn)} with ${Object.entries(action.tags)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`,
  once: {
    key: (action) =>
      `tag#${action.taskDefinitionArn}#${Object.entries(action.tags)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => `${key}=${value}`)
        .join('&')}`,
    keepSeconds: KEEP_SECONDS,
    repeatable: true,
  },
  run: async (action, { ports }) => {
    await ports.ecs.tagResource(action.taskDefinitionArn, action.tags);
    return { status: 'done', detail: `tagged ${Object.keys(action.tags).join(', ')}` };
  },
};

export { type TagAction, tagRunner };
