import { isObject, type JsonObject, readInput } from '../core/input.ts';
import { type EcsContext, ecsErrors, findTaskDefinition } from './ecs-context.ts';
import type { Tag } from './ecs-types.ts';
import { tagsView } from './task-views.ts';

/** Validates ECS tags (≤50, key ≤128, value ≤256, `aws:` reserved). */
export const parseTags = (raw: unknown): Tag[] => {
  const list = Array.isArray(raw) ? raw.filter(isObject) : [];
  if (list.length > 50)
    throw ecsErrors.invalid('Tag limit exceeded. The maximum number of tags is 50.');
  return list.map((t) => {
    const key = typeof t.key === 'string' ? t.key : '';
    const value = typeof t.value === 'string' ? t.value : '';
    if (key === '' || key.length > 128)
      throw ecsErrors.invalid('Tag keys must be between 1 and 128 characters.');
    if (value.length > 256) throw ecsErrors.invalid('Tag values must be at most 256 characters.');
    if (key.toLowerCase().startsWith('aws:'))
      throw ecsErrors.invalid('Tag keys with the aws: prefix are reserved.');
    return { key, value };
  });
};

/** Merges `added` into `tags`, replacing values of existing keys. */
export const mergeTags = (tags: Tag[], added: Tag[]): void => {
  for (const tag of added) {
    const existing = tags.find((t) => t.key === tag.key);
    if (existing) existing.value = tag.value;
    else tags.push({ ...tag });
  }
};

// The tag list of whatever resource the ARN names.
const tagsOf = (ctx: EcsContext, arn: string): Tag[] => {
  const match = /^arn:[^:]+:ecs:[^:]*:\d*:(cluster|service|task-definition|task)\/(.+)$/.exec(arn);
  const kind = match?.[1];
  const rest = match?.[2] ?? '';
  let tags: Tag[] | undefined;
  if (kind === 'cluster') tags = ctx.state.clusters.get(rest)?.tags;
  if (kind === 'service') {
    const service = [...ctx.state.services.values()].find(
      (s) => s.arn === arn && s.status !== 'INACTIVE',
    );
    tags = service?.tags;
  }
  if (kind === 'task-definition') tags = findTaskDefinition(ctx, rest)?.tags;
  if (kind === 'task') tags = ctx.state.tasks.get(arn)?.tags;
  if (tags === undefined) throw ecsErrors.invalid("The specified resource wasn't found.");
  return tags;
};

/** TagResource. */
export const tagResource = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const tags = tagsOf(ctx, read.str('resourceArn'));
  const added = parseTags(read.optArr('tags'));
  mergeTags(tags, added);
  if (tags.length > 50)
    throw ecsErrors.invalid('Tag limit exceeded. The maximum number of tags is 50.');
  return {};
};

/** UntagResource. */
export const untagResource = (ctx: EcsContext, input: JsonObject): JsonObject => {
  const read = readInput(input, ecsErrors.invalid);
  const tags = tagsOf(ctx, read.str('resourceArn'));
  const keys = new Set(read.optStrArr('tagKeys') ?? []);
  const kept = tags.filter((t) => !keys.has(t.key));
  tags.splice(0, tags.length, ...kept);
  return {};
};

/** ListTagsForResource. */
export const listTagsForResource = (ctx: EcsContext, input: JsonObject): JsonObject => ({
  tags: tagsView(tagsOf(ctx, readInput(input, ecsErrors.invalid).str('resourceArn'))),
});
