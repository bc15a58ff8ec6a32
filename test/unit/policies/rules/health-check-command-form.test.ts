import { describe, expect, it } from 'vitest';
import { healthCheckCommandForm } from '#policies/rules/health-check-command-form.ts';
import { registerFixture } from '#support/fixtures.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

const health = (command: unknown) =>
  withContainer({ healthCheck: { command: command as string[] } });

describe('Rule: health-check-command-form', () => {
  it('Compliance: the ECS agent health check test task (CMD-SHELL, real document)', () => {
    // Assess
    expect(
      verdict(
        checkRule(healthCheckCommandForm, {
          taskDefinition: registerFixture('ecs-agent-container-health-windows.json'),
        }),
      ),
    ).toBe('compliant');
    expect(
      verdict(checkRule(healthCheckCommandForm, { taskDefinition: health(['CMD', '/bin/check']) })),
    ).toBe('compliant');
  });

  it.each([
    [['curl', '-f', 'http://localhost/'], 'starts with "curl"'],
    [['curl -f http://localhost/ || exit 1'], 'starts with another word'],
    [['CMD-SHELL'], 'has no command after CMD-SHELL'],
  ])('Noncompliance: %j', (command, expected) => {
    // Assess
    expect(
      verdict(checkRule(healthCheckCommandForm, { taskDefinition: health(command) })),
    ).toStrictEqual([expect.stringContaining(expected)]);
  });
});
