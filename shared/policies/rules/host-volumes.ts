import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { isObject, show, type TaskDefinitionDocument } from '../documents.ts';

/** A container's mount of a volume that binds a host path. */
interface HostMount {
  volume: string;
  sourcePath: string;
  containerPath: string;
  readOnly: boolean;
  /** Index of the mount in the container's mountPoints. */
  index: number;
}

// The Docker and containerd sockets, on Linux and as Windows named pipes.
const SOCKET = /(?:^|\/)(?:docker|containerd|crio|podman)\.sock$|\\pipe\\docker_engine$/i;

/** True when a host path is a container runtime's socket. */
const isRuntimeSocket = (path: string): boolean => SOCKET.test(path.trim());

/** The host paths of the task's bind-mount volumes, by volume name. */
const hostPaths = (td: TaskDefinitionDocument): Map<string, string> => {
  const paths = new Map<string, string>();
  for (const volume of Array.isArray(td.volumes) ? td.volumes : []) {
    if (!isObject(volume) || typeof volume.name !== 'string' || !isObject(volume.host)) continue;
    const source = volume.host.sourcePath;
    if (typeof source === 'string' && source.trim() !== '') paths.set(volume.name, source);
  }
  return paths;
};

/** The container's mounts of host paths. */
const hostMountsOf = (container: ContainerDefinition, paths: Map<string, string>): HostMount[] =>
  (Array.isArray(container.mountPoints) ? container.mountPoints : []).flatMap((mount, index) => {
    if (!isObject(mount)) return [];
    const sourcePath = paths.get(show(mount.sourceVolume ?? ''));
    if (sourcePath === undefined) return [];
    return [
      {
        volume: show(mount.sourceVolume),
        sourcePath,
        containerPath: show(mount.containerPath ?? ''),
        readOnly: mount.readOnly === true,
        index,
      },
    ];
  });

export { type HostMount, hostMountsOf, hostPaths, isRuntimeSocket };
