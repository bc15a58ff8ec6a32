import { describe, expect, it } from 'vitest';
import { noDockerSocket } from '#policies/rules/no-docker-socket.ts';
import { registerFixture } from '#support/fixtures.ts';
import { checkRule, verdict } from '#support/task-definitions.ts';

// The ECS agent's data-volume test task, its volume pointed at the Docker socket (a derived variant).
const withSocket = (sourcePath: string, readOnly?: boolean) => {
  const td = registerFixture('ecs-agent-datavolume-windows.json');
  return {
    ...td,
    volumes: [{ name: 'test', host: { sourcePath } }],
    containerDefinitions: (td.containerDefinitions ?? []).map((c) =>
      c.name === 'data-volume-source'
        ? {
            ...c,
            mountPoints: [
              { sourceVolume: 'test', containerPath: '/var/run/docker.sock', readOnly },
            ],
          }
        : c,
    ),
  };
};

describe('Rule: no-docker-socket', () => {
  it.each([
    ['/var/run/docker.sock'],
    ['/run/containerd/containerd.sock'],
    ['\\\\.\\pipe\\docker_engine'],
  ])('Noncompliance: a container mounts %s, even read-only', (path) => {
    // Assess
    expect(
      verdict(checkRule(noDockerSocket, { taskDefinition: withSocket(path, true) })),
    ).toStrictEqual([
      `container data-volume-source mounts the container runtime socket ${path} (volume test)`,
    ]);
  });

  it('Compliance: the real document, whose volume binds no host path', () => {
    // Assess
    expect(
      verdict(
        checkRule(noDockerSocket, {
          taskDefinition: registerFixture('ecs-agent-datavolume-windows.json'),
        }),
      ),
    ).toBe('compliant');
  });
});
