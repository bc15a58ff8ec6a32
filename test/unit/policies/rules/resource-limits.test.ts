import { describe, expect, it } from 'vitest';
import { resourceLimits } from '#policies/rules/resource-limits.ts';
import {
  checkRule,
  compliantContainer,
  compliantTaskDefinition,
  verdict,
  withContainer,
} from '#support/task-definitions.ts';

describe('Rule: resource-limits', () => {
  it('Noncompliance: neither the task nor a container limits memory or CPU', () => {
    // Prepare
    const td = withContainer(
      { memory: undefined, memoryReservation: 256, cpu: 0 },
      { cpu: undefined, memory: undefined },
    );
    // Act
    const outcome = checkRule(resourceLimits, { taskDefinition: td });
    // Assess
    expect(verdict(outcome)).toStrictEqual([
      'neither the task nor container app limits memory (memory)',
      'neither the task nor container app limits CPU (cpu)',
    ]);
  });

  it('Noncompliance (CT.ECS.PR.7): a container without its own memory limit when required', () => {
    // Prepare
    const td = compliantTaskDefinition({
      containerDefinitions: [
        compliantContainer(),
        compliantContainer({ name: 'sidecar', memory: undefined }),
        compliantContainer({ name: 'tiny', memory: 3 }),
      ],
    });
    // Act
    const outcome = checkRule(
      resourceLimits,
      { taskDefinition: td },
      { requireContainerMemory: true },
    );
    // Assess
    expect(Array.isArray(outcome) ? outcome.map((v) => v.location.path) : outcome).toStrictEqual([
      ['containerDefinitions', 1, 'memory'],
      ['containerDefinitions', 2, 'memory'],
    ]);
  });

  it('Compliance: task-level limits cover containers without their own', () => {
    // Prepare
    const td = withContainer({ memory: undefined, cpu: undefined });
    // Assess
    expect(verdict(checkRule(resourceLimits, { taskDefinition: td }))).toBe('compliant');
  });

  it('Compliance: container-level limits without task-level ones', () => {
    // Prepare
    const td = withContainer({ memory: 512, cpu: 256 }, { cpu: undefined, memory: undefined });
    // Assess
    expect(verdict(checkRule(resourceLimits, { taskDefinition: td }))).toBe('compliant');
  });

  it('Not applicable: no task definition', () => {
    // Assess
    expect(checkRule(resourceLimits, {})).toBe('not-applicable');
  });
});
