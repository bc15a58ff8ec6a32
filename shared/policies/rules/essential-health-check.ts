import { isObject } from '../documents.ts';
import { defineRule, notApplicable } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Every essential container of a service has a health check command. */
const essentialHealthCheck = defineRule({
  id: 'essential-health-check',
  title: 'Every essential container of a service has a health check',
  rationale:
    'Without a container health check ECS only knows whether the process runs, not whether it works: a hung process keeps serving nothing, and deployments cannot detect a bad release before traffic does. Tasks that run to completion (batch jobs, migrations) are judged by their exit code instead.',
  fix: 'Add healthCheck.command (for example ["CMD-SHELL", "curl -f http://localhost/health || exit 1"]) to every essential container.',
  appliesTo: 'the essential containers of long-running services',
  severity: 'warning',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition, service, deployedAs }) => {
    if (deployedAs === 'batch-job' || deployedAs === 'task') {
      return notApplicable(
        `not applicable: the task definition runs to completion (${deployedAs === 'batch-job' ? 'a batch job' : 'a standalone task'}), and its exit code says whether it worked`,
      );
    }
    if (!service && deployedAs !== 'service') {
      return notApplicable(
        'not applicable: the task definition is not known to run as a service (check it with its service, or tag it harbormaster:deployed-as=service)',
      );
    }
    return checkContainers(taskDefinition, (container, index, name) => {
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
    });
  },
});

export { essentialHealthCheck };
