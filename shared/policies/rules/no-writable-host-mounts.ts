import { defineRule } from '../types.ts';
import { hostMountsOf, hostPaths, isRuntimeSocket } from './host-volumes.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** Host paths are mounted read-only. */
const noWritableHostMounts = defineRule({
  id: 'no-writable-host-mounts',
  title: 'Host paths are mounted read-only',
  rationale:
    'A writable bind mount lets the container change files on the instance, which other tasks and the ECS agent rely on; a compromised container can plant binaries or configuration that outlive it.',
  fix: 'Set readOnly: true on the container\u2019s mount point, or use a task-scoped volume (no host.sourcePath), EFS or a Docker volume for data the task writes.',
  appliesTo: 'task definitions whose containers mount host paths',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    const paths = taskDefinition ? hostPaths(taskDefinition) : new Map<string, string>();
    if (paths.size === 0) return { notApplicable: 'not applicable: no volume binds a host path' };
    return checkContainers(taskDefinition, (container, index, name) =>
      hostMountsOf(container, paths)
        // The runtime socket is its own rule (no-docker-socket), writable or not.
        .filter((mount) => !mount.readOnly && !isRuntimeSocket(mount.sourcePath))
        .map((mount) =>
          taskDefinitionViolation(
            `container ${name} mounts the host path ${mount.sourcePath} writable at ${mount.containerPath}`,
            containerPath(index, 'mountPoints', mount.index, 'readOnly'),
            name,
          ),
        ),
    );
  },
});

export { noWritableHostMounts };
