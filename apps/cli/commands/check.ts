import { type Command, Option } from 'commander';
import { loadConfigFile } from '#config/load-file.ts';
import { ConfigError } from '#kernel/errors.ts';
import type { Policy } from '#policies/config.ts';
import { builtInPolicies } from '#policies/default-policies.ts';
import packageJson from '../../../package.json' with { type: 'json' };
import { formatJson } from '../check/format-json.ts';
import { formatSarif } from '../check/format-sarif.ts';
import { formatText } from '../check/format-text.ts';
import { InputError, readTaskDefinitionFile } from '../check/input.ts';
import { checkFile, isBlocking } from '../check/run-check.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

const DEFAULT_EXEMPTION_TAG = 'harbormaster:exempt';

interface CheckOptions {
  config?: string;
  format: 'text' | 'json' | 'sarif';
}

/** The policies to apply, and the exemption tag: the configuration's, or every built-in rule. */
const policiesFrom = (configFile: string | undefined) => {
  if (!configFile) {
    return { policies: builtInPolicies(), exemptionTag: DEFAULT_EXEMPTION_TAG, source: 'built-in' };
  }
  const config = loadConfigFile(configFile);
  return {
    policies: config.policies as readonly Policy[],
    exemptionTag: config.enforcement.exemptionTag,
    source: configFile,
  };
};

/**
 * `harbormaster check <task-definition.json>...`: applies the policies to task definition files
 * before anything is deployed, with the Lambda's rules; exits 1 when an enforce-mode policy fails.
 */
const registerCheck = (program: Command): void => {
  program
    .command('check')
    .description(
      'check task definition files (describe-task-definition output or register-task-definition input) against the policies',
    )
    .argument('<task-definition...>', 'task definition JSON files')
    .option(
      '-c, --config <file>',
      'configuration file whose policies apply (default: every built-in rule, enforced)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'sarif'])
        .default('text'),
    )
    .addHelpText(
      'after',
      exitCodesHelp({
        ok: 'no enforce-mode rule fails (audit and notify findings are reported only)',
        findings: 'an enforce-mode rule fails (with no configuration: any built-in rule)',
      }),
    )
    .action((files: string[], options: CheckOptions) => {
      let policies: ReturnType<typeof policiesFrom>;
      try {
        policies = policiesFrom(options.config);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(error.message);
        process.exitCode = EXIT.usage;
        return;
      }
      const now = new Date();
      const results = [];
      for (const file of files) {
        try {
          results.push(
            checkFile(readTaskDefinitionFile(file), policies.policies, {
              now,
              exemptionTag: policies.exemptionTag,
            }),
          );
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          console.error(error.message);
          process.exitCode = EXIT.usage;
          return;
        }
      }
      const blocking = results.some((r) => r.findings.some(isBlocking));
      const exitCode = blocking ? EXIT.findings : EXIT.ok;
      if (options.format === 'json') console.log(formatJson(results, exitCode));
      else if (options.format === 'sarif') console.log(formatSarif(results, packageJson.version));
      else console.log(formatText(results));
      process.exitCode = exitCode;
    });
};

export { registerCheck };
