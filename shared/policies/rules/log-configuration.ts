import * as v from 'valibot';
import { isObject } from '../documents.ts';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Every container sends its logs somewhere: a log configuration with a log driver. */
const logConfiguration = defineRule({
  id: 'log-configuration',
  title: 'Every container has a log configuration with a log driver',
  rationale:
    'Without a log driver a container\u2019s output stays on the host (or, on Fargate, is lost): nobody can tell why a task crashed, and there is no audit trail.',
  fix: 'Set logConfiguration.logDriver on every container (awslogs, awsfirelens, ...), optionally one of the rule\u2019s allowedDrivers.',
  appliesTo: 'task definitions with container definitions',
  severity: 'warning',
  controls: ['CT.ECS.PR.5'],
  targets: ['taskDefinition'],
  options: () => ({
    /** When set, the log driver must be one of these. */
    allowedDrivers: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1))),
  }),
  check: ({ taskDefinition }, { allowedDrivers }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      const log: unknown = container.logConfiguration;
      const driver = isObject(log) ? log.logDriver : undefined;
      if (typeof driver !== 'string' || driver.trim() === '') {
        return [
          taskDefinitionViolation(
            `container ${name} has no log configuration with a log driver`,
            isObject(log)
              ? containerPath(index, 'logConfiguration', 'logDriver')
              : containerPath(index, 'logConfiguration'),
            name,
          ),
        ];
      }
      if (allowedDrivers && !allowedDrivers.includes(driver)) {
        return [
          taskDefinitionViolation(
            `container ${name} logs with the ${driver} driver, which is not one of ${allowedDrivers.join(', ')}`,
            containerPath(index, 'logConfiguration', 'logDriver'),
            name,
          ),
        ];
      }
      return [];
    }),
});

export { logConfiguration };
