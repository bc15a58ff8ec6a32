import { defineRule } from '../types.ts';
import { hostMountsOf, hostPaths, isRuntimeSocket } from './host-volumes.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/** No container mounts the Docker (or containerd) socket. */
const noDockerSocket = defineRule({
  id: 'no-docker-socket',
  title: 'No container mounts the Docker or containerd socket',
  rationale:
    'The container runtime\u2019s socket is root on the host: whoever can write to it starts a privileged container with the host\u2019s filesystem mounted, even when the socket is mounted read-only (read-only applies to the file, not to the API calls made through it).',
  fix: 'Remove the socket volume. Agents that need container metadata can read the ECS task metadata endpoint (ECS_CONTAINER_METADATA_URI_V4); if one truly needs the socket, run it as a daemon service with an exemption that names why.',
  appliesTo: 'task definitions with container definitions',
  severity: 'critical',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition }) => {
    const paths = taskDefinition ? hostPaths(taskDefinition) : new Map<string, string>();
    return checkContainers(taskDefinition, (container, index, name) =>
      hostMountsOf(container, paths)
        .filter((mount) => isRuntimeSocket(mount.sourcePath))
        .map((mount) =>
          taskDefinitionViolation(
            `container ${name} mounts the container runtime socket ${mount.sourcePath} (volume ${mount.volume})`,
            containerPath(index, 'mountPoints', mount.index),
            name,
          ),
        ),
    );
  },
});

export { noDockerSocket };
