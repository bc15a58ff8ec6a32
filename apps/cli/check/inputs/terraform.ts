import { isObject, type TaskDefinitionDocument } from '#policies/documents.ts';
import type { ParsedText } from './parse-text.ts';
import type { CheckSubject } from './subject.ts';

type Json = Record<string, unknown>;

const firstBlock = (value: unknown): Json | undefined =>
  Array.isArray(value) && isObject(value[0]) ? value[0] : undefined;

/**
 * The aws_ecs_task_definition attributes of a plan or state as ECS's API names them. The
 * container_definitions attribute is the JSON ECS reads; blocks become their API objects.
 */
const taskDefinitionOf = (
  values: Json,
): { definition: TaskDefinitionDocument; unknown?: string } => {
  const text = values.container_definitions;
  let containers: unknown;
  let unknown: string | undefined;
  if (typeof text === 'string') {
    try {
      containers = JSON.parse(text);
    } catch {
      unknown = 'container_definitions is not valid JSON';
    }
  } else
    unknown =
      'container_definitions is known only after apply (it depends on values the plan computes)';
  const platform = firstBlock(values.runtime_platform);
  const definition: TaskDefinitionDocument = {
    family: values.family as string | undefined,
    containerDefinitions: Array.isArray(containers) ? containers : undefined,
    cpu: values.cpu as string | undefined,
    memory: values.memory as string | undefined,
    networkMode: values.network_mode as TaskDefinitionDocument['networkMode'],
    pidMode: values.pid_mode as TaskDefinitionDocument['pidMode'],
    ipcMode: values.ipc_mode as TaskDefinitionDocument['ipcMode'],
    requiresCompatibilities:
      values.requires_compatibilities as TaskDefinitionDocument['requiresCompatibilities'],
    executionRoleArn: values.execution_role_arn as string | undefined,
    taskRoleArn: values.task_role_arn as string | undefined,
    runtimePlatform: platform
      ? {
          operatingSystemFamily: platform.operating_system_family as never,
          cpuArchitecture: platform.cpu_architecture as never,
        }
      : undefined,
    volumes: Array.isArray(values.volume)
      ? values.volume.filter(isObject).map((volume) => ({
          name: volume.name as string,
          ...(typeof volume.host_path === 'string'
            ? { host: { sourcePath: volume.host_path } }
            : {}),
        }))
      : undefined,
  };
  return { definition, unknown };
};

const tagsOf = (values: Json): Record<string, string> => {
  const tags = isObject(values.tags_all)
    ? values.tags_all
    : isObject(values.tags)
      ? values.tags
      : {};
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
};

/** Addresses of task definitions a service in the configuration refers to. */
const referencedByServices = (plan: Json): Set<string> => {
  const out = new Set<string>();
  const walk = (module: unknown, prefix: string) => {
    if (!isObject(module)) return;
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (
        !isObject(resource) ||
        resource.type !== 'aws_ecs_service' ||
        !isObject(resource.expressions)
      )
        continue;
      const expression = resource.expressions.task_definition;
      const references =
        isObject(expression) && Array.isArray(expression.references) ? expression.references : [];
      for (const ref of references) if (typeof ref === 'string') out.add(`${prefix}${ref}`);
    }
    const calls = isObject(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) {
      if (isObject(call)) walk(call.module, `${prefix}module.${name}.`);
    }
  };
  walk(isObject(plan.configuration) ? plan.configuration.root_module : undefined, '');
  return out;
};

/**
 * The task definitions of `terraform show -json` output: a plan's resource changes (what apply
 * will register; deleted ones are skipped), or a state's resources.
 */
const terraformSubjects = (plan: Json, file: string, parsed: ParsedText): CheckSubject[] => {
  const services = referencedByServices(plan);
  const found: { address: string; values: Json; path: (string | number)[] }[] = [];
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  changes.forEach((change: unknown, index) => {
    if (!isObject(change) || change.type !== 'aws_ecs_task_definition' || change.mode === 'data')
      return;
    const after = isObject(change.change) ? change.change.after : undefined;
    if (!isObject(after)) return;
    found.push({
      address: String(change.address),
      values: after,
      path: ['resource_changes', index, 'change', 'after'],
    });
  });
  if (found.length === 0) {
    const walk = (module: unknown, path: (string | number)[]) => {
      if (!isObject(module)) return;
      (Array.isArray(module.resources) ? module.resources : []).forEach((r: unknown, i) => {
        if (
          isObject(r) &&
          r.type === 'aws_ecs_task_definition' &&
          r.mode !== 'data' &&
          isObject(r.values)
        ) {
          found.push({
            address: String(r.address),
            values: r.values,
            path: [...path, 'resources', i, 'values'],
          });
        }
      });
      (Array.isArray(module.child_modules) ? module.child_modules : []).forEach(
        (child: unknown, i) => {
          walk(child, [...path, 'child_modules', i]);
        },
      );
    };
    walk(isObject(plan.values) ? plan.values.root_module : undefined, ['values', 'root_module']);
  }
  return found.map(({ address, values, path }) => {
    const { definition, unknown } = taskDefinitionOf(values);
    const base = address.replace(/\[[^\]]*\]$/, '');
    return {
      file,
      format: 'terraform-plan',
      resource: address,
      taskDefinition: definition,
      service: undefined,
      deployedAs: services.has(address) || services.has(base) ? 'service' : undefined,
      family: typeof definition.family === 'string' ? definition.family : undefined,
      tags: tagsOf(values),
      unknownBecause: unknown,
      // container_definitions is a string in the plan: findings inside it point at the attribute.
      locate: (_target, fieldPath) => {
        const [first, ...rest] = fieldPath;
        const attribute = first === 'containerDefinitions' ? 'container_definitions' : first;
        return parsed.locate([
          ...path,
          ...(attribute === undefined ? [] : [attribute]),
          ...(first === 'containerDefinitions' ? [] : rest),
        ]);
      },
    };
  });
};

/** True for `terraform show -json` output (a plan or a state). */
const isTerraformJson = (data: unknown): data is Json =>
  isObject(data) &&
  typeof data.format_version === 'string' &&
  (data.resource_changes !== undefined ||
    data.planned_values !== undefined ||
    data.values !== undefined);

export { isTerraformJson, terraformSubjects };
