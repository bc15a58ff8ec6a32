import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfigFile } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import {
  FORMATS,
  type HooksFormat,
  lifecycleHooksFor,
  renderHooks,
} from '#delivery/hooks-config.ts';
import { resolveDeliverySettings } from '#delivery/settings.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

interface HooksOptions {
  config?: string;
  stage: string;
  region?: string;
  account?: string;
  functionArn?: string;
  roleArn?: string;
  outputs?: string;
  format: HooksFormat | 'all';
}

/** The hook function's and the invoke role's ARNs from `aws cloudformation describe-stacks` output. */
const fromOutputs = (file: string): Record<string, string> => {
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    Stacks?: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }[];
  };
  return Object.fromEntries(
    (data.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
};

const targetsOf = (options: HooksOptions) => {
  const outputs = options.outputs ? fromOutputs(options.outputs) : {};
  const stack = `harbormaster-${options.stage}`;
  const functionArn =
    options.functionArn ??
    outputs.DeploymentHooksFunctionArn ??
    (options.region && options.account
      ? `arn:aws:lambda:${options.region}:${options.account}:function:${stack}-deployment-hooks`
      : `<DeploymentHooksFunctionArn output of the ${stack} stack>`);
  const roleArn =
    options.roleArn ??
    outputs.DeploymentHooksInvokeRoleArn ??
    `<DeploymentHooksInvokeRoleArn output of the ${stack} stack>`;
  return { functionArn, roleArn };
};

/**
 * `harbormaster hooks <cluster>/<service>`: the lifecycleHooks a service needs for the gates the
 * configuration enables for it, in CloudFormation, CDK, Terraform and AWS CLI forms.
 */
const registerHooks = (program: Command): void => {
  program
    .command('hooks')
    .description(
      'print the lifecycleHooks a blue/green, linear or canary service needs for the gates the configuration enables for it (CloudFormation, CDK, Terraform, AWS CLI)',
    )
    .argument('<service>', 'the service, as <cluster>/<service>')
    .option('--config <file>', 'configuration file (default: harbormaster.yml if present)')
    .option('--stage <name>', 'the Harbormaster stage deployed', 'dev')
    .option('--region <region>', 'the stack\u2019s region, to name the function')
    .option('--account <id>', 'the stack\u2019s account, to name the function')
    .option('--function-arn <arn>', 'the deployment-hooks function (hookTargetArn)')
    .option('--role-arn <arn>', 'the role ECS assumes to invoke it (roleArn)')
    .option(
      '--outputs <file>',
      '`aws cloudformation describe-stacks` output of the stack, for both ARNs',
    )
    .option('--format <format>', `one of ${[...FORMATS, 'all'].join(', ')}`, 'all')
    .addHelpText('after', exitCodesHelp({ ok: 'the configuration was printed' }))
    .action((target: string, options: HooksOptions) => {
      const [cluster, service, ...rest] = target.split('/');
      if (!cluster || !service || rest.length > 0)
        throw new Error(`expected <cluster>/<service>, received "${target}"`);
      if (options.format !== 'all' && !(FORMATS as readonly string[]).includes(options.format))
        throw new Error(`--format: expected one of ${[...FORMATS, 'all'].join(', ')}`);
      const file = options.config ?? process.env.HARBORMASTER_CONFIG ?? 'harbormaster.yml';
      const config =
        options.config || existsSync(file) ? loadConfigFile(file) : parseConfig({}, 'defaults');
      // Offline there are no service tags: they may still change the gates' modes at run time.
      const settings = resolveDeliverySettings(config.delivery, cluster, service, {});
      const hooks = lifecycleHooksFor(settings, targetsOf(options));
      const gates = [
        `policy gate ${settings.policyGate.mode}`,
        `analysis gate ${settings.analysisGate.mode} at ${settings.analysisGate.stages.join(', ')}`,
        `approvals ${settings.approvals.stages.length > 0 ? `at ${settings.approvals.stages.join(', ')}` : 'none'}`,
      ].join('; ');
      console.log(`# ${cluster}/${service}: ${gates}.`);
      console.log(
        '# The service must use the ECS deployment controller with the BLUE_GREEN, LINEAR or CANARY strategy.',
      );
      console.log(
        '# Service tags (harbormaster:delivery*) may change the gates\u2019 modes at run time; the hooks stay.',
      );
      if (hooks.length === 0) {
        console.log(
          '# Every gate is off and no approval is configured: the service needs no lifecycle hook.',
        );
        process.exitCode = EXIT.ok;
        return;
      }
      const formats =
        options.format === 'all' ? FORMATS.filter((f) => f !== 'json') : [options.format];
      for (const format of formats) {
        if (formats.length > 1) console.log(`\n# ${format}`);
        console.log(renderHooks(hooks, format, { cluster, service }));
      }
      process.exitCode = EXIT.ok;
    });
};

export { registerHooks };
