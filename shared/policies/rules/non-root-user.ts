import { windowsSignal } from '../documents.ts';
import { hasPlaceholder, placeholderLabel, RENDER_HINT } from '../placeholders.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

// The root forms Control Tower's CT.ECS.PR.3 recognises: 0, "0", "root", "0:<group>", "root:<group>".
const ROOT_USER = /^(0|root)(:.*)?$/;

/** True when a container `user` value means root. */
const isRootUser = (user: unknown): boolean =>
  user === 0 || (typeof user === 'string' && ROOT_USER.test(user.trim()));

/** Every container names a user, and it is not root. */
const nonRootUser = defineRule({
  id: 'non-root-user',
  title: 'Every container runs as a named non-root user',
  rationale:
    'Containers run as the image\u2019s user, which is root unless the image says otherwise; a process running as root turns a container escape or a writable host mount into root on the host.',
  fix: 'Set user on every container to a non-root user or UID (for example "1000" or "app:app"), and build the image so it runs as that user.',
  appliesTo: 'Linux task definitions with container definitions',
  severity: 'error',
  // Stricter than CT.ECS.PR.8, which only requires it (or privileged) in host network mode.
  controls: ['CT.ECS.PR.3', 'CT.ECS.PR.8'],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    const windows = taskDefinition ? windowsSignal(taskDefinition) : undefined;
    if (windows) {
      return {
        notApplicable: `not applicable to Windows containers, which do not support the user parameter (${windows})`,
      };
    }
    return checkContainers(taskDefinition, (container, index, name) => {
      const user: unknown = container.user;
      if (hasPlaceholder(user)) {
        return [
          {
            ...taskDefinitionViolation(
              `container ${name}: unknown, the user is a placeholder (${placeholderLabel(user)}); ${RENDER_HINT}`,
              containerPath(index, 'user'),
              name,
            ),
            unknown: true,
          },
        ];
      }
      if (user === undefined || user === null || user === '') {
        return [
          taskDefinitionViolation(
            `container ${name} sets no user, so it runs as the image\u2019s user (root unless the image says otherwise)`,
            containerPath(index, 'user'),
            name,
          ),
        ];
      }
      return isRootUser(user)
        ? [
            taskDefinitionViolation(
              `container ${name} runs as root`,
              containerPath(index, 'user'),
              name,
            ),
          ]
        : [];
    });
  },
});

export { isRootUser, nonRootUser };
