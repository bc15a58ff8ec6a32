import * as v from 'valibot';
import { defineRule } from '../types.ts';
import { checkContainers, containerPath, taskDefinitionViolation } from './violations.ts';

const isSet = (value: unknown): boolean =>
  (typeof value === 'number' && value > 0) ||
  (typeof value === 'string' && value.trim() !== '' && value.trim() !== '0');

// Control Tower's CT.ECS.PR.7 accepts a container memory limit of at least 4 MiB.
const MINIMUM_CONTAINER_MEMORY_MIB = 4;

/** CPU and memory are limited at the task level or on every container. */
const resourceLimits = defineRule({
  id: 'resource-limits',
  title: 'CPU and memory are limited, at the task level or on every container',
  rationale:
    'Without a limit one container can take the whole instance\u2019s CPU or memory and starve every other task on it; memoryReservation is only a soft floor, not a limit.',
  fix: 'Set the task-level cpu and memory, or cpu and memory (the hard limit) on every container; with requireContainerMemory, set memory on every container.',
  appliesTo: 'task definitions with container definitions',
  severity: 'warning',
  controls: ['CT.ECS.PR.7'],
  targets: ['taskDefinition'],
  options: () => ({
    /** Require a container-level memory limit (>= 4 MiB) on every container, as CT.ECS.PR.7 does. */
    requireContainerMemory: v.optional(v.boolean(), false),
  }),
  check: ({ taskDefinition }, { requireContainerMemory }) =>
    checkContainers(taskDefinition, (container, index, name) => {
      const violations = [];
      const memory = container.memory;
      if (requireContainerMemory) {
        if (typeof memory !== 'number' || memory < MINIMUM_CONTAINER_MEMORY_MIB) {
          violations.push(
            taskDefinitionViolation(
              `container ${name} sets no memory limit of its own (memory, at least ${MINIMUM_CONTAINER_MEMORY_MIB} MiB)`,
              containerPath(index, 'memory'),
              name,
            ),
          );
        }
      } else if (!isSet(taskDefinition?.memory) && !isSet(memory)) {
        violations.push(
          taskDefinitionViolation(
            `neither the task nor container ${name} limits memory (memory)`,
            containerPath(index, 'memory'),
            name,
          ),
        );
      }
      if (!isSet(taskDefinition?.cpu) && !isSet(container.cpu)) {
        violations.push(
          taskDefinitionViolation(
            `neither the task nor container ${name} limits CPU (cpu)`,
            containerPath(index, 'cpu'),
            name,
          ),
        );
      }
      return violations;
    }),
});

export { resourceLimits };
