import { describe, expect, it } from 'vitest';
import { readOnlyRootFilesystem } from '#policies/rules/read-only-root-filesystem.ts';
import {
  checkRule,
  notApplicableReason,
  verdict,
  withContainer,
} from '#support/task-definitions.ts';

describe('Rule: read-only-root-filesystem (CT.ECS.PR.6)', () => {
  it.each([[false], [undefined]])('Noncompliance: readonlyRootFilesystem %s', (value) => {
    // Prepare
    const td = withContainer({ readonlyRootFilesystem: value });
    // Assess
    expect(verdict(checkRule(readOnlyRootFilesystem, { taskDefinition: td }))).toStrictEqual([
      'container app has a writable root filesystem',
    ]);
  });

  it('Compliance: every container is read-only', () => {
    // Assess
    expect(verdict(checkRule(readOnlyRootFilesystem, { taskDefinition: withContainer({}) }))).toBe(
      'compliant',
    );
  });

  it('Not applicable: Windows containers do not support it', () => {
    // Prepare
    const td = withContainer(
      { readonlyRootFilesystem: false },
      { runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } },
    );
    // Assess
    expect(
      notApplicableReason(checkRule(readOnlyRootFilesystem, { taskDefinition: td })),
    ).toContain('Windows');
  });
});
