import {
  isObject,
  type ServiceDocument,
  type TaskDefinitionDocument,
  tagRecord,
} from '#policies/documents.ts';
import type { ParsedText } from './parse-text.ts';
import type { CheckSubject, InputFormat } from './subject.ts';

// Maps whose keys are data (Docker label names, log driver options), kept as written.
const DATA_MAPS = new Set(['DockerLabels', 'Options', 'DriverOpts', 'Labels', 'SecretOptions']);

const intrinsicName = (value: Record<string, unknown>): string | undefined => {
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 &&
    key !== undefined &&
    (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))
    ? key
    : undefined;
};

/**
 * A CloudFormation intrinsic as a placeholder the rules recognise: `!Ref Image` becomes
 * "${Image}", `!GetAtt Role.Arn` "${Role.Arn}", `!Sub` its template; the value is known only
 * when the stack is deployed.
 */
const placeholderOf = (name: string, argument: unknown): string => {
  if (name === 'Ref') return `\${${String(argument)}}`;
  if (name === 'Fn::GetAtt')
    return `\${${Array.isArray(argument) ? argument.join('.') : String(argument)}}`;
  if (name === 'Fn::Sub') {
    const template = Array.isArray(argument) ? argument[0] : argument;
    return typeof template === 'string' ? template : '${Fn::Sub}';
  }
  return `\${${name}}`;
};

/** CloudFormation's PascalCase properties as ECS's API names them, intrinsics as placeholders. */
const fromCloudFormation = (value: unknown, keepKeys = false): unknown => {
  if (Array.isArray(value)) return value.map((item) => fromCloudFormation(item));
  if (!isObject(value)) return value;
  const intrinsic = intrinsicName(value);
  if (intrinsic) return placeholderOf(intrinsic, value[intrinsic]);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      keepKeys ? key : key.charAt(0).toLowerCase() + key.slice(1),
      fromCloudFormation(item, DATA_MAPS.has(key)),
    ]),
  );
};

/** The logical id a `TaskDefinition: !Ref X` names, if it names one. */
const referencedId = (value: unknown): string | undefined =>
  isObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;

/**
 * The task definitions and services of a CloudFormation, SAM or CDK template: each task definition
 * with the first service that runs it; services whose task definition is elsewhere on their own.
 */
const cloudFormationSubjects = (
  template: Record<string, unknown>,
  file: string,
  format: InputFormat,
  parsed: ParsedText,
): CheckSubject[] => {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const byType = (type: string) =>
    Object.entries(resources).filter(([, r]) => isObject(r) && r.Type === type) as [
      string,
      Record<string, unknown>,
    ][];
  const services = byType('AWS::ECS::Service');
  const runner = new Map<string, string>();
  for (const [id, resource] of services) {
    const ref = referencedId(
      isObject(resource.Properties) ? resource.Properties.TaskDefinition : undefined,
    );
    if (ref && !runner.has(ref)) runner.set(ref, id);
  }
  const locateIn =
    (taskDefinitionId: string | undefined, serviceId: string | undefined): CheckSubject['locate'] =>
    (target, path) =>
      parsed.locate([
        'Resources',
        (target === 'service' ? serviceId : taskDefinitionId) ?? '',
        'Properties',
        ...path,
      ]);
  const serviceOf = (id: string): ServiceDocument => {
    const resource = resources[id];
    const service = fromCloudFormation(
      isObject(resource) ? (resource.Properties ?? {}) : {},
    ) as ServiceDocument & { cluster?: unknown };
    // Messages name a service cluster/name: the logical id stands in for a name CloudFormation generates.
    return {
      ...service,
      serviceName: typeof service.serviceName === 'string' ? service.serviceName : id,
      clusterArn: typeof service.cluster === 'string' ? service.cluster : undefined,
    };
  };
  const subjects: CheckSubject[] = byType('AWS::ECS::TaskDefinition').map(([id, resource]) => {
    const definition = fromCloudFormation(resource.Properties ?? {}) as TaskDefinitionDocument;
    const serviceId = runner.get(id);
    return {
      file,
      format,
      resource: id,
      taskDefinition: definition,
      service: serviceId ? serviceOf(serviceId) : undefined,
      deployedAs: serviceId ? 'service' : undefined,
      family: typeof definition.family === 'string' ? definition.family : id,
      tags: tagRecord(definition.tags),
      locate: locateIn(id, serviceId),
    };
  });
  const definitions = new Map(
    subjects.map((subject) => [subject.resource, subject.taskDefinition]),
  );
  for (const [id, resource] of services) {
    const ref = referencedId(
      isObject(resource.Properties) ? resource.Properties.TaskDefinition : undefined,
    );
    // The first service of a task definition in this template is checked with it, above.
    if (ref !== undefined && runner.get(ref) === id && definitions.has(ref)) continue;
    const service = serviceOf(id);
    const taskDefinitionId = ref !== undefined && definitions.has(ref) ? ref : undefined;
    subjects.push({
      file,
      format,
      resource: id,
      taskDefinition: taskDefinitionId ? definitions.get(taskDefinitionId) : undefined,
      service,
      deployedAs: 'service',
      family: undefined,
      tags: tagRecord(service.tags),
      locate: locateIn(taskDefinitionId, id),
    });
  }
  return subjects;
};

/** True for a CloudFormation template (SAM and CDK's are ones too). */
const isCloudFormation = (data: unknown): data is Record<string, unknown> =>
  isObject(data) &&
  (data.AWSTemplateFormatVersion !== undefined ||
    (isObject(data.Resources) &&
      Object.values(data.Resources).some(
        (r) => isObject(r) && typeof r.Type === 'string' && /^(AWS|Custom|Alexa)::/.test(r.Type),
      )));

/** Which kind of template: SAM (its transform), CDK (its metadata), or plain CloudFormation. */
const templateKind = (template: Record<string, unknown>): InputFormat => {
  const transform = template.Transform;
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless')))
    return 'sam';
  const resources = isObject(template.Resources) ? Object.values(template.Resources) : [];
  return resources.some((r) => isObject(r) && isObject(r.Metadata) && 'aws:cdk:path' in r.Metadata)
    ? 'cdk'
    : 'cloudformation';
};

export { cloudFormationSubjects, fromCloudFormation, isCloudFormation, templateKind };
