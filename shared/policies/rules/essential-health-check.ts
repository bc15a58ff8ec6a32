import { isObject } from '../documents.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Every essential container has a health check command. */
const essentialHealthCheck = defineRule({
  id: 'essential-health-check',
  title: 'Every essential container has a health check',
  rationale:
    'Without a container health check ECS only knows whether the process runs, not whether it works: a hung process keeps serving nothing, and deployments cannot detect a bad release before traffic does.',
  fix: 'Add healthCheck.command (for example ["CMD-SHELL", "curl -f http://localhost/health || exit 1"]) to every essential container.',
  severity: 'warning',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      if (container.essential === false) return [];
      const health: unknown = container.healthCheck;
      const command = isObject(health) ? health.command : undefined;
      if (Array.isArray(command) && command.length > 0) return [];
      return [
        taskDefinitionViolation(
          `essential container ${name} has no health check`,
          containerPath(index, 'healthCheck'),
          name,
        ),
      ];
    }),
});

export { essentialHealthCheck };
