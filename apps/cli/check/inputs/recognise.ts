import { taskDefinitionRef } from '#kernel/events/arn.ts';
import { isObject, type TaskDefinitionDocument, tagRecord } from '#policies/documents.ts';
import { cloudFormationSubjects, isCloudFormation, templateKind } from './cloudformation.ts';
import type { ParsedText } from './parse-text.ts';
import type { CheckSubject, InputFormat } from './subject.ts';
import { isTerraformJson, terraformSubjects } from './terraform.ts';

/** What a file holds: subjects to check, or what it looks like instead. */
type Recognised =
  | { format: InputFormat; subjects: CheckSubject[]; note?: string }
  | { looksLike: string };

const familyOf = (definition: Record<string, unknown>): string | undefined => {
  if (typeof definition.family === 'string') return definition.family;
  const arn = definition.taskDefinitionArn;
  return typeof arn === 'string' && arn !== '' ? taskDefinitionRef(arn).family : undefined;
};

const single = (
  file: string,
  format: InputFormat,
  definition: Record<string, unknown>,
  tags: unknown,
  parsed: ParsedText,
  prefix: (string | number)[],
): Recognised => ({
  format,
  subjects: [
    {
      file,
      format,
      resource: undefined,
      taskDefinition: definition as TaskDefinitionDocument,
      service: undefined,
      deployedAs: undefined,
      family: familyOf(definition),
      tags: tagRecord(tags),
      locate: (_target, path) =>
        parsed.locate(
          // A container list is the task definition's containerDefinitions on its own.
          format === 'container-definitions' && path[0] === 'containerDefinitions'
            ? path.slice(1)
            : [...prefix, ...path],
        ),
    },
  ],
});

const isContainerList = (data: unknown): data is Record<string, unknown>[] =>
  Array.isArray(data) &&
  data.length > 0 &&
  data.every(
    (item) => isObject(item) && (typeof item.name === 'string' || typeof item.image === 'string'),
  );

/** What a JSON or YAML document that is no task definition looks like, for the report. */
const lookalike = (data: unknown, file: string): string => {
  if (!isObject(data))
    return Array.isArray(data)
      ? 'a list that is not a list of container definitions'
      : 'a single value, not a document';
  const keys = Object.keys(data);
  if (
    Array.isArray(data.Resources) &&
    data.Resources.some((r) => isObject(r) && 'TargetService' in r)
  ) {
    return 'an appspec (CodeDeploy): not a task definition; check the task definition file it deploys';
  }
  if (isObject(data.artifacts) && typeof data.version === 'string') {
    return 'a CDK cloud assembly manifest: check the cdk.out directory (its templates are checked)';
  }
  if ('apiVersion' in data && 'kind' in data)
    return 'a Kubernetes manifest: not an ECS task definition';
  if (isObject(data.services) && !('provider' in data))
    return 'a Docker Compose file: not an ECS task definition';
  if ('on' in data && 'jobs' in data) return 'a GitHub Actions workflow: not a task definition';
  if ('service' in data && 'provider' in data)
    return 'a Serverless Framework file: not a task definition';
  if (
    'dependencies' in data ||
    'devDependencies' in data ||
    ('name' in data && 'version' in data && 'scripts' in data)
  ) {
    return 'an npm package.json: not a task definition';
  }
  if (isObject(data.Resources))
    return 'a CloudFormation template without ECS task definitions or services';
  if ('policies' in data || 'deploymentGuard' in data || 'batchJobs' in data) {
    return 'a Harbormaster configuration: check it with harbormaster validate';
  }
  if (/\.tf\.json$/.test(file))
    return 'Terraform configuration in JSON: run terraform show -json on a plan and check that';
  return `JSON or YAML of another shape (top-level keys: ${keys.slice(0, 5).join(', ') || 'none'}), not a task definition`;
};

/**
 * Recognises a task definition format in parsed data: DescribeTaskDefinition's output,
 * RegisterTaskDefinition's input, a container definitions list (Terraform's container_definitions,
 * register-task-definition --container-definitions), `terraform show -json` output, or a
 * CloudFormation, SAM or CDK template.
 */
const recognise = (parsed: ParsedText, file: string): Recognised => {
  const { data } = parsed;
  if (isObject(data) && isObject(data.taskDefinition)) {
    return single(
      file,
      'describe-task-definition',
      data.taskDefinition,
      data.tags ?? data.taskDefinition.tags,
      parsed,
      ['taskDefinition'],
    );
  }
  if (isObject(data) && Array.isArray(data.containerDefinitions)) {
    return single(file, 'register-task-definition', data, data.tags, parsed, []);
  }
  if (isContainerList(data)) {
    return single(
      file,
      'container-definitions',
      { containerDefinitions: data },
      undefined,
      parsed,
      [],
    );
  }
  if (isTerraformJson(data)) {
    const subjects = terraformSubjects(data, file, parsed);
    return {
      format: 'terraform-plan',
      subjects,
      note:
        subjects.length === 0
          ? 'a Terraform plan without aws_ecs_task_definition resources'
          : undefined,
    };
  }
  if (isCloudFormation(data)) {
    const format = templateKind(data);
    const subjects = cloudFormationSubjects(data, file, format, parsed);
    if (subjects.length === 0) return { looksLike: lookalike(data, file) };
    return { format, subjects };
  }
  return { looksLike: lookalike(data, file) };
};

/** What a file no parser reads looks like, by its name (HCL, scripts). */
const lookalikeByName = (file: string): string | undefined => {
  if (/\.tf$/.test(file))
    return 'a Terraform HCL file: run terraform show -json on a plan and check that';
  if (/\.(?:ts|js|py|java|cs|go)$/.test(file))
    return 'source code (a CDK app?): run cdk synth and check the cdk.out directory';
  return undefined;
};

export { lookalikeByName, type Recognised, recognise };
