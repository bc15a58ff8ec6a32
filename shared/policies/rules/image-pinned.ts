import * as v from 'valibot';
import { isSha256Digest, parseImageReference } from '../image-reference.ts';
import { isImagePlaceholder, placeholderLabel, RENDER_HINT } from '../placeholders.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Tags that registries and projects move on purpose: they name a channel, not a build. */
const MOVING_TAGS: ReadonlySet<string> = new Set([
  'latest',
  'stable',
  'main',
  'master',
  'develop',
  'dev',
  'edge',
  'nightly',
  'canary',
  'beta',
  'alpha',
  'next',
  'current',
  'release',
  'prod',
  'production',
  'staging',
  'test',
  'lts',
  'head',
  'trunk',
  'rolling',
  'mainline',
  'unstable',
  'snapshot',
]);

/** Every image is pinned: a version tag (not a moving one), or (when required) a sha256 digest. */
const imagePinned = defineRule({
  id: 'image-pinned',
  title:
    'Container images are pinned to a version tag or a digest, never a moving tag ("latest", "stable", "main") or no tag',
  rationale:
    'A moving tag ("latest", "stable", "main", "nightly", or no tag, which means latest) makes every task start whatever the tag points to at that moment: services scale out onto untested code and rollbacks do not roll back. A digest is the only reference that cannot move.',
  fix: 'Reference images by a version tag (repo:1.4.2) or, with requireDigest, by digest (repo@sha256:...); pin in CI when the image is built.',
  appliesTo: 'task definitions with container definitions',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({
    /** Only a sha256 digest counts as pinned. */
    requireDigest: v.optional(v.boolean(), false),
    /** More tags to treat as moving (compared case-insensitively, e.g. "qa"). */
    movingTags: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
  }),
  check: ({ taskDefinition }, { requireDigest, movingTags }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      const path = containerPath(index, 'image');
      if (typeof container.image !== 'string' || container.image.trim() === '') {
        return [taskDefinitionViolation(`container ${name} names no image`, path, name)];
      }
      const fail = (message: string) => [taskDefinitionViolation(message, path, name)];
      const image = parseImageReference(container.image);
      // A digest pins whatever else the reference says; a placeholder waits for rendering.
      if (image && isSha256Digest(image.digest)) return [];
      if (isImagePlaceholder(container.image)) {
        return [
          {
            ...taskDefinitionViolation(
              `container ${name}: unknown, the image is a placeholder (${placeholderLabel(container.image)}); ${RENDER_HINT}`,
              path,
              name,
            ),
            unknown: true,
          },
        ];
      }
      if (!image)
        return fail(`container ${name}: "${container.image}" is not a valid image reference`);
      if (requireDigest) {
        return fail(`container ${name}: image ${container.image} is not pinned to a sha256 digest`);
      }
      if (image.tag === undefined) {
        return fail(
          `container ${name}: image ${container.image} has no tag, so ECS pulls "latest"`,
        );
      }
      const tag = image.tag.toLowerCase();
      if (MOVING_TAGS.has(tag) || movingTags.some((t) => t.toLowerCase() === tag)) {
        return fail(
          `container ${name}: image ${container.image} uses the moving tag "${image.tag}"`,
        );
      }
      return [];
    }),
});

export { imagePinned, MOVING_TAGS };
