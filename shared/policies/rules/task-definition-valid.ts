import { containerLabel, containersOf, isObject, show } from '../documents.ts';
import { hasPlaceholder } from '../placeholders.ts';
import { defineRule, type FieldPath, type Violation } from '../types.ts';
import { taskDefinitionViolation } from './violations.ts';

const REJECTS = 'RegisterTaskDefinition would reject it';
// An IAM role ARN in any partition (role paths allowed).
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// Container fields ECS types as integers and as booleans.
const INTEGER_FIELDS = [
  'cpu',
  'memory',
  'memoryReservation',
  'startTimeout',
  'stopTimeout',
] as const;
const BOOLEAN_FIELDS = [
  'essential',
  'privileged',
  'readonlyRootFilesystem',
  'interactive',
] as const;
const MAX_CONTAINERS = 10;

const violation = (message: string, path: FieldPath, container?: string): Violation =>
  taskDefinitionViolation(`${message} (${REJECTS})`, path, container);

/** What RegisterTaskDefinition checks itself, that a template can get wrong before it runs. */
const taskDefinitionValid = defineRule({
  id: 'task-definition-valid',
  title: 'The task definition is one ECS\u2019s RegisterTaskDefinition accepts',
  rationale:
    'A task definition ECS rejects fails the deployment at the last step, after images are built and approvals given; checking it in CI points at the field while the change is still open.',
  fix: 'Correct the field the finding names, as the RegisterTaskDefinition API reference describes it.',
  appliesTo: 'task definitions',
  severity: 'error',
  controls: [],
  targets: ['taskDefinition'],
  options: () => ({}),
  check: ({ taskDefinition: td }) => {
    if (!td) return { notApplicable: 'not applicable: there is no task definition to read' };
    const out: Violation[] = [];
    const containers = containersOf(td);
    if (containers.length === 0)
      out.push(
        violation('the task definition has no container definitions', ['containerDefinitions']),
      );
    if (containers.length > MAX_CONTAINERS) {
      out.push(
        violation(
          `the task definition has ${containers.length} containers; ECS allows ${MAX_CONTAINERS}`,
          ['containerDefinitions'],
        ),
      );
    }
    for (const field of ['executionRoleArn', 'taskRoleArn'] as const) {
      const value: unknown = td[field];
      if (value === undefined || value === null || hasPlaceholder(value)) continue;
      if (typeof value !== 'string' || !ROLE_ARN.test(value)) {
        const what =
          typeof value === 'string' && value.startsWith('arn:')
            ? `the ARN of ${value.split(':')[2] ?? 'another'} resource`
            : 'not an IAM role ARN';
        out.push(violation(`${field} is ${what}, not an IAM role ARN`, [field]));
      }
    }
    const fargate =
      Array.isArray(td.requiresCompatibilities) && td.requiresCompatibilities.includes('FARGATE');
    if (
      fargate &&
      td.networkMode !== undefined &&
      td.networkMode !== 'awsvpc' &&
      !hasPlaceholder(td.networkMode)
    ) {
      out.push(
        violation(`Fargate requires the awsvpc network mode, not ${show(td.networkMode)}`, [
          'networkMode',
        ]),
      );
    }
    if (fargate && (td.cpu === undefined || td.memory === undefined)) {
      out.push(
        violation('Fargate requires task-level cpu and memory', [
          td.cpu === undefined ? 'cpu' : 'memory',
        ]),
      );
    }
    const names = new Set<string>();
    for (const { container, index } of containers) {
      const name = containerLabel(container, index);
      const at = (...rest: (string | number)[]): FieldPath => [
        'containerDefinitions',
        index,
        ...rest,
      ];
      if (typeof container.name !== 'string' || container.name === '')
        out.push(violation(`container #${index} has no name`, at('name'), name));
      else if (names.has(container.name))
        out.push(violation(`two containers are named ${container.name}`, at('name'), name));
      else names.add(container.name);
      if (typeof container.image !== 'string' || container.image.trim() === '')
        out.push(violation(`container ${name} has no image`, at('image'), name));
      for (const field of INTEGER_FIELDS) {
        const value: unknown = container[field];
        if (value === undefined || value === null || hasPlaceholder(value)) continue;
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          out.push(
            violation(
              `container ${name}: ${field} must be an integer, not ${typeof value === 'string' ? 'a string' : show(value)}`,
              at(field),
              name,
            ),
          );
        }
      }
      for (const field of BOOLEAN_FIELDS) {
        const value: unknown = container[field];
        if (value === undefined || value === null || hasPlaceholder(value)) continue;
        if (typeof value !== 'boolean')
          out.push(
            violation(
              `container ${name}: ${field} must be true or false, not ${typeof value === 'string' ? 'a string' : show(value)}`,
              at(field),
              name,
            ),
          );
      }
      const environment: unknown = container.environment;
      if (Array.isArray(environment)) {
        environment.forEach((entry: unknown, i) => {
          if (isObject(entry) && 'valueFrom' in entry) {
            out.push(
              violation(
                `container ${name}: environment[${i}] has valueFrom, which belongs in secrets`,
                at('environment', i, 'valueFrom'),
                name,
              ),
            );
          }
        });
      }
      if (td.networkMode === 'awsvpc' && Array.isArray(container.portMappings)) {
        container.portMappings.forEach((mapping: unknown, i) => {
          if (
            !isObject(mapping) ||
            mapping.hostPort === undefined ||
            hasPlaceholder(mapping.hostPort) ||
            hasPlaceholder(mapping.containerPort)
          )
            return;
          if (mapping.hostPort !== mapping.containerPort) {
            out.push(
              violation(
                `container ${name}: in the awsvpc network mode hostPort must equal containerPort`,
                at('portMappings', i, 'hostPort'),
                name,
              ),
            );
          }
        });
      }
    }
    return out;
  },
});

export { taskDefinitionValid };
