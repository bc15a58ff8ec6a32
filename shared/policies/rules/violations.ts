import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { containerLabel, containersOf, type TaskDefinitionDocument } from '../documents.ts';
import type { FieldPath, RuleOutcome, Violation } from '../types.ts';

/** A violation in the task definition, optionally in one container. */
const taskDefinitionViolation = (
  message: string,
  path: FieldPath,
  container?: string,
): Violation => ({ message, location: { target: 'taskDefinition', path, container } });

/**
 * Runs a per-container check over the task definition's containers. Not applicable when there are
 * none (Control Tower's rules SKIP then too); compliant when no container breaks the rule.
 */
const checkContainers = (
  td: TaskDefinitionDocument | undefined,
  check: (container: ContainerDefinition, index: number, label: string) => Violation[] | undefined,
): RuleOutcome => {
  if (!td) return 'not-applicable';
  const containers = containersOf(td);
  if (containers.length === 0) return 'not-applicable';
  return containers.flatMap(
    ({ container, index }) => check(container, index, containerLabel(container, index)) ?? [],
  );
};

/** The path of a field of the container at `index`. */
const containerPath = (index: number, ...rest: (string | number)[]): FieldPath => [
  'containerDefinitions',
  index,
  ...rest,
];

export { checkContainers, containerPath, taskDefinitionViolation };
