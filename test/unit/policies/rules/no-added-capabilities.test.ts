import { describe, expect, it } from 'vitest';
import { noAddedCapabilities } from '#policies/rules/no-added-capabilities.ts';
import { registerFixture } from '#support/fixtures.ts';
import { checkRule, verdict, withContainer } from '#support/task-definitions.ts';

const adding = (add: unknown[]) =>
  withContainer({ linuxParameters: { capabilities: { add: add as string[] } } });

describe('Rule: no-added-capabilities', () => {
  it('Noncompliance: the ECS agent test task that adds SYS_ADMIN (real document)', () => {
    // Prepare
    const td = registerFixture('ecs-agent-cap-add.json');
    // Assess
    expect(verdict(checkRule(noAddedCapabilities, { taskDefinition: td }))).toStrictEqual([
      'container exit adds the Linux capability SYS_ADMIN',
    ]);
  });

  it.each([['NET_ADMIN'], ['SYS_PTRACE'], ['CAP_SYS_MODULE']])('Noncompliance: %s', (cap) => {
    // Assess
    expect(verdict(checkRule(noAddedCapabilities, { taskDefinition: adding([cap]) }))).toHaveLength(
      1,
    );
  });

  it('Compliance: capabilities Docker grants anyway, and those the allow option names', () => {
    // Assess
    expect(
      verdict(
        checkRule(noAddedCapabilities, { taskDefinition: adding(['NET_BIND_SERVICE', 'CHOWN']) }),
      ),
    ).toBe('compliant');
    expect(
      verdict(
        checkRule(
          noAddedCapabilities,
          { taskDefinition: adding(['SYS_PTRACE']) },
          { allow: ['SYS_PTRACE'] },
        ),
      ),
    ).toBe('compliant');
  });

  it('Unknown: a placeholder capability', () => {
    // Assess
    expect(
      verdict(checkRule(noAddedCapabilities, { taskDefinition: adding(['${CAP}']) })),
    ).toStrictEqual([expect.stringMatching(/^unknown: .*placeholder/)]);
  });
});
