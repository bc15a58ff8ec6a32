import { isObject } from '../documents.ts';
import { hasPlaceholder } from '../placeholders.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** A health check command starts with CMD (exec form) or CMD-SHELL (shell form). */
const healthCheckCommandForm = defineRule({
  id: 'health-check-command-form',
  title: 'Health check commands start with "CMD" or "CMD-SHELL"',
  rationale:
    'ECS passes healthCheck.command to Docker, which reads its first word as the form: "CMD" runs the rest as an executable with arguments, "CMD-SHELL" runs it with the container\u2019s shell. A command that starts with anything else (["curl", "-f", ...] or one string) fails every check, so the container is marked unhealthy and replaced over and over.',
  fix: 'Write ["CMD-SHELL", "curl -f http://localhost/health || exit 1"] or ["CMD", "/bin/healthcheck", "--quiet"].',
  appliesTo: 'containers with a health check',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      const health: unknown = container.healthCheck;
      if (!isObject(health) || health.command === undefined) return [];
      const command: unknown = health.command;
      const path = containerPath(index, 'healthCheck', 'command');
      if (!Array.isArray(command) || command.length === 0) {
        return [
          taskDefinitionViolation(
            `container ${name}: healthCheck.command is not a list of strings`,
            path,
            name,
          ),
        ];
      }
      const [form] = command;
      if (hasPlaceholder(form)) return [];
      if (form !== 'CMD' && form !== 'CMD-SHELL') {
        return [
          taskDefinitionViolation(
            `container ${name}: healthCheck.command starts with ${typeof form === 'string' && /^[\w./-]{1,40}$/.test(form) ? `"${form}"` : 'another word'} instead of "CMD" or "CMD-SHELL"`,
            [...path, 0],
            name,
          ),
        ];
      }
      if (command.length < 2) {
        return [
          taskDefinitionViolation(
            `container ${name}: healthCheck.command has no command after ${form}`,
            path,
            name,
          ),
        ];
      }
      return [];
    }),
});

export { healthCheckCommandForm };
