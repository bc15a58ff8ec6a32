import { describe, expect, it } from 'vitest';
import { nonRootUser } from '#policies/rules/non-root-user.ts';
import {
  checkRule,
  notApplicableReason,
  verdict,
  withContainer,
} from '#support/task-definitions.ts';

describe('Rule: non-root-user (CT.ECS.PR.3, CT.ECS.PR.8)', () => {
  it.each([['root'], ['0'], ['0:0'], ['root:wheel']])('Noncompliance: user %s', (user) => {
    // Assess
    expect(
      verdict(checkRule(nonRootUser, { taskDefinition: withContainer({ user }) })),
    ).toStrictEqual(['container app runs as root']);
  });

  it('Noncompliance: no user, even in host network mode with privileged (stricter than CT.ECS.PR.8)', () => {
    // Prepare
    const td = withContainer({ user: undefined, privileged: true }, { networkMode: 'host' });
    // Assess
    expect(verdict(checkRule(nonRootUser, { taskDefinition: td }))).toStrictEqual([
      expect.stringContaining('container app sets no user'),
    ]);
  });

  it.each([['1000'], ['app'], ['1000:1000'], ['rootless']])('Compliance: user %s', (user) => {
    // Assess
    expect(verdict(checkRule(nonRootUser, { taskDefinition: withContainer({ user }) }))).toBe(
      'compliant',
    );
  });

  it('Not applicable: Windows containers', () => {
    // Prepare
    const td = withContainer(
      { user: undefined },
      { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' } },
    );
    // Assess
    expect(notApplicableReason(checkRule(nonRootUser, { taskDefinition: td }))).toContain(
      'Windows',
    );
  });
});
