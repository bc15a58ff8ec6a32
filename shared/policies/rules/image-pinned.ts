import * as v from 'valibot';
import { isSha256Digest, parseImageReference } from '../image-reference.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Every image is pinned: a tag other than `latest`, or (when required) a sha256 digest. */
const imagePinned = defineRule({
  id: 'image-pinned',
  title: 'Container images are pinned to a version tag or a digest, never "latest" or no tag',
  rationale:
    'A mutable tag ("latest", or no tag, which means latest) makes every task start whatever the tag points to at that moment: services scale out onto untested code and rollbacks do not roll back. A digest is the only reference that cannot move.',
  fix: 'Reference images by a version tag (repo:1.4.2) or, with requireDigest, by digest (repo@sha256:...); pin in CI when the image is built.',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({
    /** Only a sha256 digest counts as pinned. */
    requireDigest: v.optional(v.boolean(), false),
  }),
  check: ({ taskDefinition }, { requireDigest }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      const path = containerPath(index, 'image');
      if (typeof container.image !== 'string' || container.image.trim() === '') {
        return [taskDefinitionViolation(`container ${name} names no image`, path, name)];
      }
      const image = parseImageReference(container.image);
      if (!image) {
        return [
          taskDefinitionViolation(
            `container ${name}: "${container.image}" is not a valid image reference`,
            path,
            name,
          ),
        ];
      }
      if (isSha256Digest(image.digest)) return [];
      if (requireDigest) {
        return [
          taskDefinitionViolation(
            `container ${name}: image ${container.image} is not pinned to a sha256 digest`,
            path,
            name,
          ),
        ];
      }
      if (image.tag === undefined) {
        return [
          taskDefinitionViolation(
            `container ${name}: image ${container.image} has no tag, so ECS pulls "latest"`,
            path,
            name,
          ),
        ];
      }
      if (image.tag === 'latest') {
        return [
          taskDefinitionViolation(
            `container ${name}: image ${container.image} uses the mutable tag "latest"`,
            path,
            name,
          ),
        ];
      }
      return [];
    }),
});

export { imagePinned };
