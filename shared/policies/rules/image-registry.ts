import * as v from 'valibot';
import { matchesGlob } from '../glob.ts';
import { parseImageReference } from '../image-reference.ts';
import { isImagePlaceholder, placeholderLabel, RENDER_HINT } from '../placeholders.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Amazon ECR (private, in every partition, and FIPS endpoints) and ECR Public. */
const ECR_REGISTRIES = [
  '*.dkr.ecr.*.amazonaws.com',
  '*.dkr.ecr-fips.*.amazonaws.com',
  '*.dkr.ecr.*.amazonaws.com.cn',
  'public.ecr.aws',
];

// An entry without "/" names registry hosts; with "/", repositories (public.ecr.aws/nginx/*).
const allowed = (registry: string, repository: string, entries: readonly string[]): boolean =>
  entries.some((entry) =>
    entry.includes('/')
      ? matchesGlob(`${registry}/${repository}`, entry)
      : matchesGlob(registry, entry),
  );

/** Every image comes from an allowed registry (Amazon ECR and ECR Public by default). */
const imageRegistry = defineRule({
  id: 'image-registry',
  title: 'Container images come from allowed registries',
  rationale:
    'Images from registries you do not control can change or disappear, and public registries rate-limit pulls; an allow-list keeps the supply chain to registries you scan and replicate.',
  fix: 'Push the image to an allowed registry (Amazon ECR by default), or add its registry to the rule\u2019s registries option.',
  appliesTo: 'task definitions with container definitions',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({
    /** Registry host globs (`*.dkr.ecr.*.amazonaws.com`) or repository globs (`public.ecr.aws/nginx/*`). */
    registries: v.optional(
      v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
      ECR_REGISTRIES,
    ),
  }),
  check: ({ taskDefinition }, { registries }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      if (typeof container.image !== 'string') return [];
      if (isImagePlaceholder(container.image)) {
        return [
          {
            ...taskDefinitionViolation(
              `container ${name}: unknown, the image is a placeholder (${placeholderLabel(container.image)}); ${RENDER_HINT}`,
              containerPath(index, 'image'),
              name,
            ),
            unknown: true,
          },
        ];
      }
      const image = parseImageReference(container.image);
      if (!image || allowed(image.registry, image.repository, registries)) return [];
      return [
        taskDefinitionViolation(
          `container ${name}: image ${container.image} comes from ${image.registry}, which is not an allowed registry`,
          containerPath(index, 'image'),
          name,
        ),
      ];
    }),
});

export { ECR_REGISTRIES, imageRegistry };
