import * as v from 'valibot';
import { isObject } from '../documents.ts';
import { hasPlaceholder, RENDER_HINT } from '../placeholders.ts';
import { defineRule, type Violation } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

/**
 * Docker's default capability set (Docker's run reference, "Runtime privilege and Linux
 * capabilities"): adding one of these changes nothing, so it is not flagged.
 */
const DOCKER_DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

const normalise = (capability: string): string =>
  capability.trim().toUpperCase().replace(/^CAP_/, '');

/** No container adds Linux capabilities beyond Docker's defaults (and the rule's allow list). */
const noAddedCapabilities = defineRule({
  id: 'no-added-capabilities',
  title: 'No container adds Linux capabilities beyond Docker\u2019s default set',
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN and SYS_PTRACE give a container most of root\u2019s power over the kernel (mounting filesystems, reconfiguring the network, reading other processes\u2019 memory) and are the usual first step of a container escape.',
  fix: 'Remove the capability from linuxParameters.capabilities.add; if the workload needs it (e.g. SYS_PTRACE for a profiler), allow it by name in the rule\u2019s allow option for that policy, or exempt the task definition with a reason.',
  appliesTo: 'Linux task definitions with container definitions',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({
    /** Capabilities that may be added besides Docker's defaults (e.g. "SYS_PTRACE"). */
    allow: v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
  }),
  check: ({ taskDefinition }, { allow }) => {
    const allowed = new Set([...DOCKER_DEFAULT_CAPABILITIES, ...allow.map(normalise)]);
    return checkContainers(taskDefinition, (container, index, name) => {
      const linux: unknown = container.linuxParameters;
      const capabilities = isObject(linux) ? linux.capabilities : undefined;
      const add = isObject(capabilities) ? capabilities.add : undefined;
      if (!Array.isArray(add)) return [];
      return add.flatMap((capability: unknown, at): Violation[] => {
        const path = containerPath(index, 'linuxParameters', 'capabilities', 'add', at);
        if (hasPlaceholder(capability)) {
          return [
            {
              ...taskDefinitionViolation(
                `container ${name}: unknown, an added capability is a placeholder; ${RENDER_HINT}`,
                path,
                name,
              ),
              unknown: true,
            },
          ];
        }
        if (typeof capability !== 'string' || allowed.has(normalise(capability))) return [];
        return [
          taskDefinitionViolation(
            `container ${name} adds the Linux capability ${normalise(capability)}`,
            path,
            name,
          ),
        ];
      });
    });
  },
});

export { DOCKER_DEFAULT_CAPABILITIES, noAddedCapabilities };
