import { parseSections } from '#kernel/config/sections.ts';
import { type Policy, policiesSection } from './config.ts';
import { RULES } from './rules/index.ts';

/** The policy that applies when no configuration names any: every rule that reads a task definition. */
const BUILT_IN_POLICY_NAME = 'built-in';
/** Its companion for services (templates that define one): every rule that reads only a service. */
const BUILT_IN_SERVICE_POLICY_NAME = 'built-in-services';

let built: readonly Policy[] | undefined;

/**
 * Every built-in rule, with its default options, in enforce mode: what `harbormaster check`
 * applies without a configuration file (the service rules only where a template has a service).
 */
const builtInPolicies = (): readonly Policy[] => {
  built ??= (
    parseSections(
      {
        policies: [
          {
            name: BUILT_IN_POLICY_NAME,
            description: 'Every built-in rule that reads a task definition, with default options',
            resource: 'ecs-task-definition',
            mode: 'enforce',
            severity: 'error',
            filters: Object.values(RULES)
              .filter((rule) => rule.targets.includes('taskDefinition'))
              .map((rule) => ({ type: rule.id })),
          },
          {
            name: BUILT_IN_SERVICE_POLICY_NAME,
            description: 'Every built-in rule that reads a service, with default options',
            resource: 'ecs-service',
            mode: 'enforce',
            severity: 'error',
            filters: Object.values(RULES)
              .filter(
                (rule) =>
                  rule.targets.includes('service') && !rule.targets.includes('taskDefinition'),
              )
              .map((rule) => ({ type: rule.id })),
          },
        ],
      },
      'the built-in policy',
      { policies: policiesSection },
    ) as { policies: Policy[] }
  ).policies;
  return built;
};

export { BUILT_IN_POLICY_NAME, BUILT_IN_SERVICE_POLICY_NAME, builtInPolicies };
