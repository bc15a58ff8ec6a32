import { hasPlaceholder, placeholderLabel, RENDER_HINT } from '../placeholders.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** No container runs privileged. */
const notPrivileged = defineRule({
  id: 'not-privileged',
  title: 'No container runs in privileged mode',
  rationale:
    'A privileged container has root-equivalent access to the host: every device and kernel capability. One compromised container then owns the instance and every task on it.',
  fix: 'Remove privileged (or set it to false) on every container; grant the specific linuxParameters.capabilities a container really needs instead.',
  appliesTo: 'task definitions with container definitions',
  severity: 'critical',
  controls: ['CT.ECS.PR.11'],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      const privileged: unknown = container.privileged;
      if (hasPlaceholder(privileged)) {
        return [
          {
            ...taskDefinitionViolation(
              `container ${name}: unknown, privileged is a placeholder (${placeholderLabel(privileged)}); ${RENDER_HINT}`,
              containerPath(index, 'privileged'),
              name,
            ),
            unknown: true,
          },
        ];
      }
      return privileged === true
        ? [
            taskDefinitionViolation(
              `container ${name} runs privileged`,
              containerPath(index, 'privileged'),
              name,
            ),
          ]
        : [];
    }),
});

export { notPrivileged };
