import { describe, expect, it } from 'vitest';
import { noWritableHostMounts } from '#policies/rules/no-writable-host-mounts.ts';
import { registerFixture } from '#support/fixtures.ts';
import { checkRule, notApplicableReason, verdict } from '#support/task-definitions.ts';

// The ECS agent's data-volume test task with its volume bound to a host path (a derived variant).
const bound = (sourcePath: string, readOnly?: boolean) => {
  const td = registerFixture('ecs-agent-datavolume-windows.json');
  return {
    ...td,
    volumes: [{ name: 'test', host: { sourcePath } }],
    containerDefinitions: (td.containerDefinitions ?? []).map((c) =>
      c.name === 'data-volume-source'
        ? { ...c, mountPoints: [{ sourceVolume: 'test', containerPath: '/data', readOnly }] }
        : c,
    ),
  };
};

describe('Rule: no-writable-host-mounts', () => {
  it('Noncompliance: a host path mounted writable (readOnly unset)', () => {
    // Assess
    expect(
      verdict(checkRule(noWritableHostMounts, { taskDefinition: bound('/ecs/data') })),
    ).toStrictEqual([
      'container data-volume-source mounts the host path /ecs/data writable at /data',
    ]);
  });

  it('Compliance: read-only host mounts; the runtime socket is left to no-docker-socket', () => {
    // Assess
    expect(
      verdict(checkRule(noWritableHostMounts, { taskDefinition: bound('/ecs/data', true) })),
    ).toBe('compliant');
    expect(
      verdict(checkRule(noWritableHostMounts, { taskDefinition: bound('/var/run/docker.sock') })),
    ).toBe('compliant');
  });

  it('Not applicable: the real document binds no host path, and says so', () => {
    // Assess
    expect(
      notApplicableReason(
        checkRule(noWritableHostMounts, {
          taskDefinition: registerFixture('ecs-agent-datavolume-windows.json'),
        }),
      ),
    ).toBe('not applicable: no volume binds a host path');
  });
});
