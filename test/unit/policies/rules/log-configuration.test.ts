import { describe, expect, it } from 'vitest';
import { logConfiguration } from '#policies/rules/log-configuration.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

describe('Rule: log-configuration', () => {
  it.each([
    [{ logConfiguration: undefined }, ['containerDefinitions', 0, 'logConfiguration']],
    [
      { logConfiguration: { logDriver: ' ' as 'awslogs' } },
      ['containerDefinitions', 0, 'logConfiguration', 'logDriver'],
    ],
  ])('Noncompliance: %j', (container, path) => {
    // Act
    const outcome = checkRule(logConfiguration, { taskDefinition: withContainer(container) });
    // Assess
    expect(outcome).toStrictEqual([
      {
        message: 'container app has no log configuration with a log driver',
        location: { target: 'taskDefinition', path, container: 'app' },
      },
    ]);
  });

  it('Noncompliance: a driver outside allowedDrivers', () => {
    // Act
    const outcome = checkRule(
      logConfiguration,
      { taskDefinition: withContainer({ logConfiguration: { logDriver: 'json-file' } }) },
      { allowedDrivers: ['awslogs', 'awsfirelens'] },
    );
    // Assess
    expect(verdict(outcome)).toStrictEqual([
      'container app logs with the json-file driver, which is not one of awslogs, awsfirelens',
    ]);
  });

  it('Compliance: every container has a log driver', () => {
    // Assess
    expect(verdict(checkRule(logConfiguration, { taskDefinition: withContainer({}) }))).toBe(
      'compliant',
    );
  });

  it('Not applicable: no containers', () => {
    // Assess
    expect(checkRule(logConfiguration, { service: {} })).toBe('not-applicable');
  });
});
