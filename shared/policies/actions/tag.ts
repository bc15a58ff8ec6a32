import * as v from 'valibot';
import type { EcsPort } from '#aws/ecs/port.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { ActionRunner } from '#kernel/runner.ts';
import { failingRules } from '../engine.ts';
import { definePolicyAction } from './policy-action.ts';

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

// ECS tag keys: up to 128 letters, digits, spaces and + - = . _ : / @; "aws:" is reserved.
const TAG_KEY = /^(?!aws:)[\p{L}\p{N} +\-=._:/@]{1,128}$/iu;

/**
 * `tag`: marks a non-compliant revision with a tag whose value lists the rules it breaks.
 *
 * ```yaml
 * actions: [{ type: tag, key: harbormaster:non-compliant }]
 * ```
 */
const tagPolicyAction = definePolicyAction<TagAction, { key: string }, { ecs: EcsPort }>({
  type: 'tag',
  resource: 'ecs-task-definition',
  description: 'tag the revision, naming the rules it breaks',
  options: () => ({
    /** The tag put on a non-compliant revision; its value lists the rules it breaks. */
    key: v.optional(
      v.pipe(
        v.string(),
        v.regex(TAG_KEY, 'expected an ECS tag key'),
        v.startsWith(
          'harbormaster:',
          'expected a key starting with "harbormaster:" (the only keys the stack may tag with)',
        ),
      ),
      'harbormaster:non-compliant',
    ),
  }),
  plan: ({ checkpoint, state, say }, asking) => {
    if (checkpoint.kind !== 'register' || !state.revision) return [];
    const tags: Record<string, string> = {};
    for (const { evaluation, options } of asking) {
      // ECS tag values: up to 256 of letters, digits, spaces and + - = . _ : / @ (rule ids qualify).
      const rules = [
        ...new Set([...(tags[options.key]?.split(' ') ?? []), ...failingRules(evaluation)]),
      ];
      tags[options.key] = rules.join(' ').slice(0, 256);
      say([evaluation], `tag the revision ${options.key}=${tags[options.key]}`);
    }
    return Object.keys(tags).length > 0
      ? [{ type: 'tag', taskDefinitionArn: state.revision.arn, tags }]
      : [];
  },
  runner: tagRunner,
});

export { type TagAction, tagPolicyAction, tagRunner };
