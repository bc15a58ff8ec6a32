import { windowsSignal } from '../documents.ts';
import { hasPlaceholder, placeholderLabel, RENDER_HINT } from '../placeholders.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Every container's root filesystem is read-only. */
const readOnlyRootFilesystem = defineRule({
  id: 'read-only-root-filesystem',
  title: 'Every container has a read-only root filesystem',
  rationale:
    'A writable root filesystem lets an attacker (or a bug) change binaries and configuration inside the container; read-only forces writes into declared volumes.',
  fix: 'Set readonlyRootFilesystem: true on every container and mount volumes (or a tmpfs) where it must write.',
  appliesTo: 'Linux task definitions with container definitions',
  severity: 'warning',
  controls: ['CT.ECS.PR.6'],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    // Windows containers do not support it (Control Tower's note on CT.ECS.PR.6).
    const windows = taskDefinition ? windowsSignal(taskDefinition) : undefined;
    if (windows) {
      return {
        notApplicable: `not applicable to Windows containers, which do not support a read-only root filesystem (${windows})`,
      };
    }
    return checkContainers(taskDefinition, (container, index, name) => {
      const value: unknown = container.readonlyRootFilesystem;
      if (hasPlaceholder(value)) {
        return [
          {
            ...taskDefinitionViolation(
              `container ${name}: unknown, readonlyRootFilesystem is a placeholder (${placeholderLabel(value)}); ${RENDER_HINT}`,
              containerPath(index, 'readonlyRootFilesystem'),
              name,
            ),
            unknown: true,
          },
        ];
      }
      return value === true
        ? []
        : [
            taskDefinitionViolation(
              `container ${name} has a writable root filesystem`,
              containerPath(index, 'readonlyRootFilesystem'),
              name,
            ),
          ];
    });
  },
});

export { readOnlyRootFilesystem };
