import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '#infra/build/functions.ts';

const run = promisify(execFile);
const SERVERLESS = join(ROOT, 'node_modules', '.bin', 'serverless');

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: unknown;
}

interface Template {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

/**
 * A scope every packaged configuration needs (packaging fails without clusters, task families and
 * roles to pass): prepend it to a test configuration's text.
 */
const TEST_SCOPE = 'scope:\n  clusters: [prod]\n  taskFamilies: [web]\n  passRoles: [web-task]\n';

/**
 * Runs `serverless package` offline into a fresh folder and returns the CloudFormation template
 * and what the packaging printed (warnings among it).
 */
const packageStackWithOutput = async (
  options: { configFile?: string; stage?: string } = {},
): Promise<{ template: Template; output: string }> => {
  const out = mkdtempSync(join(tmpdir(), 'hm-package-'));
  const { stdout, stderr } = await run(
    SERVERLESS,
    ['package', '--stage', options.stage ?? 'ci', '--package', out],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        HARBORMASTER_CONFIG: options.configFile ?? 'harbormaster.yml',
        SLS_TELEMETRY_DISABLED: '1',
      },
    },
  );
  const template = JSON.parse(
    readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  return { template, output: `${stdout}\n${stderr}` };
};

/** Runs `serverless package` offline into a fresh folder and returns the CloudFormation template. */
const packageStack = async (options: { configFile?: string; stage?: string } = {}) =>
  (await packageStackWithOutput(options)).template;

/** Writes a configuration text to a fresh harbormaster.yml and returns its path. */
const configFileWith = (configText: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'hm-config-')), 'harbormaster.yml');
  writeFileSync(file, configText);
  return file;
};

/** `serverless package` with a given configuration text; resolves to its exit code and output. */
const packageWithConfig = async (configText: string): Promise<{ code: number; output: string }> => {
  try {
    const { output } = await packageStackWithOutput({ configFile: configFileWith(configText) });
    return { code: 0, output };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}\n${e.stderr}` };
  }
};

/** The resources of a type, by logical id. */
const resourcesOfType = (template: Template, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/**
 * The only trust policy a role EventBridge Scheduler assumes may have: the service, from this
 * account alone (aws:SourceAccount guards against the confused deputy).
 */
const SCHEDULER_TRUST = [
  {
    Effect: 'Allow',
    Principal: { Service: 'scheduler.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
  },
];

/** The trust policy statements of a role in the template. */
const trustOf = (template: Template, role: string): unknown[] => {
  const properties = template.Resources[role]?.Properties as
    | { AssumeRolePolicyDocument?: { Statement: unknown[] } }
    | undefined;
  return properties?.AssumeRolePolicyDocument?.Statement ?? [];
};

export {
  type CfnResource,
  configFileWith,
  packageStack,
  packageStackWithOutput,
  packageWithConfig,
  resourcesOfType,
  SCHEDULER_TRUST,
  TEST_SCOPE,
  type Template,
  trustOf,
};
