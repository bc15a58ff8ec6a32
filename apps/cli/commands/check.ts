import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { SEVERITIES, type Severity } from '#kernel/alerts/model.ts';
import { ConfigError } from '#kernel/errors.ts';
import packageJson from '../../../package.json' with { type: 'json' };
import { collectInputs } from '../check/inputs/collect.ts';
import { readInput } from '../check/inputs/read-input.ts';
import type { InputProblem } from '../check/inputs/subject.ts';
import { formatGithub } from '../check/output/format-github.ts';
import { formatJson } from '../check/output/format-json.ts';
import { formatJunit } from '../check/output/format-junit.ts';
import { formatSarif } from '../check/output/format-sarif.ts';
import { formatText } from '../check/output/format-text.ts';
import { deployedAsOf, policiesForCheck } from '../check/policies-for-check.ts';
import type { CheckReport } from '../check/report.ts';
import { checkSubject, type Gate, isBlocking, type SubjectResult } from '../check/run-check.ts';
import {
  applyTriage,
  readBaseline,
  readSuppressions,
  TriageFileError,
  writeBaseline,
} from '../check/triage.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

interface CheckOptions {
  config?: string;
  format: 'text' | 'json' | 'sarif' | 'junit' | 'github';
  output?: string;
  failOn: Severity | 'none';
  enforce?: boolean;
  baseline?: string;
  writeBaseline?: boolean;
  suppressions?: string;
  onlyFailures?: boolean;
  include: string[];
  exclude: string[];
  strict?: boolean;
  stdinFilename: string;
}

const FORMATTERS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** Reads every input, checks what it holds, and returns the results and the problems. */
const checkInputs = (
  args: string[],
  options: CheckOptions,
  policies: ReturnType<typeof policiesForCheck>,
  now: Date,
) => {
  const results: SubjectResult[] = [];
  const problems: InputProblem[] = [];
  const notes: { file: string; message: string }[] = [];
  for (const input of collectInputs(args, { include: options.include, exclude: options.exclude })) {
    const read = readInput(input, options.stdinFilename);
    if (!read) continue;
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    if (read.subjects.length === 0 && read.note)
      notes.push({ file: input.path, message: read.note });
    for (const subject of read.subjects) {
      results.push(
        checkSubject(
          { ...subject, deployedAs: deployedAsOf(subject, policies) },
          policies.policies,
          {
            now,
            exemptionTag: policies.exemptionTag,
          },
        ),
      );
    }
  }
  return { results, problems, notes };
};

/**
 * `harbormaster check <inputs...>`: applies the policies to task definitions before anything is
 * deployed, with the Lambda's rules, in every format teams keep them in.
 */
const registerCheck = (program: Command): void => {
  program
    .command('check')
    .description(
      'check task definitions against the policies: ECS JSON or YAML (register-task-definition input, describe-task-definition output), container definition lists (Terraform container_definitions), terraform show -json output, CloudFormation, SAM and CDK (cdk.out) templates',
    )
    .argument(
      '<inputs...>',
      'files, directories (searched recursively), globs, or - for standard input',
    )
    .option(
      '-c, --config <file>',
      'configuration whose policies apply (default: harbormaster.yml in the working directory, else every built-in rule, enforced)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(Object.keys(FORMATTERS))
        .default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the build (none: report only)')
        .choices([...SEVERITIES, 'none'])
        .default('error'),
    )
    .option(
      '--enforce',
      'gate on every policy as if in enforce mode (audit and notify policies otherwise only report)',
    )
    .option(
      '--baseline <file>',
      'findings recorded in this baseline file do not fail the build; new ones do',
    )
    .option('--write-baseline', 'record the current failures in the --baseline file, and exit 0')
    .option(
      '--suppressions <file>',
      'YAML or JSON file of accepted findings: rule, file/resource/container scope, reason, expires',
    )
    .option('--only-failures', 'show only failures and unknowns (text, JSON, SARIF, JUnit)')
    .option(
      '--include <glob>',
      'in directories, check files matching this glob (repeatable; default: *.json *.yaml *.yml *.json.tpl *.template)',
      collect,
      [],
    )
    .option(
      '--exclude <glob>',
      'in directories, skip paths matching this glob (repeatable)',
      collect,
      [],
    )
    .option(
      '--strict',
      'a named file that is not a task definition, template or plan, or a file that looks like one but does not parse, is an error (exit 2)',
    )
    .option('--stdin-filename <name>', 'the name to report standard input under', '<stdin>')
    .addHelpText(
      'after',
      exitCodesHelp({
        ok: 'no failure at or above --fail-on (default: error) in an enforce-mode policy (with no configuration, every built-in rule is enforced)',
        findings:
          'a failure at or above --fail-on in an enforce-mode policy (or any policy, with --enforce) that no baseline or suppression accepts',
      }).replace(
        'an unreadable file or configuration',
        'a file that cannot be read (the others are still reported), with --strict a file that is not a task definition; a bad configuration',
      ),
    )
    .action((args: string[], options: CheckOptions) => {
      const now = new Date();
      let policies: ReturnType<typeof policiesForCheck>;
      let baseline: Set<string> | undefined;
      let suppressions: ReturnType<typeof readSuppressions> | undefined;
      try {
        policies = policiesForCheck(options.config);
        if (options.baseline && !options.writeBaseline) baseline = readBaseline(options.baseline);
        if (options.suppressions) suppressions = readSuppressions(options.suppressions);
      } catch (error) {
        if (!(error instanceof ConfigError) && !(error instanceof TriageFileError)) throw error;
        console.error(error.message);
        process.exitCode = EXIT.usage;
        return;
      }
      if (options.writeBaseline && !options.baseline) {
        console.error('--write-baseline needs --baseline <file>: the file to write');
        process.exitCode = EXIT.usage;
        return;
      }
      const { results, problems, notes } = checkInputs(args, options, policies, now);
      applyTriage(results, { baseline, suppressions, now });
      const gate: Gate = {
        failOn: options.failOn === 'none' ? undefined : options.failOn,
        enforceAll: options.enforce === true,
      };
      const inputError =
        problems.some((p) => p.kind === 'unreadable') ||
        (options.strict === true && problems.some((p) => p.named || p.kind === 'invalid'));
      if (options.writeBaseline && options.baseline) {
        const count = writeBaseline(options.baseline, results);
        console.error(
          `${options.baseline}: recorded ${count} failing finding(s); later runs fail only on new ones`,
        );
        for (const p of problems) console.error(`${p.file}: not checked: ${p.message}`);
        process.exitCode = inputError ? EXIT.usage : EXIT.ok;
        return;
      }
      const blocking = results.some((r) => r.findings.some((f) => isBlocking(f, gate)));
      const exitCode = inputError ? EXIT.usage : blocking ? EXIT.findings : EXIT.ok;
      const report: CheckReport = {
        version: packageJson.version,
        results,
        problems,
        notes,
        gate,
        onlyFailures: options.onlyFailures === true,
        baselineUsed: baseline !== undefined,
        exitCode,
      };
      const text = FORMATTERS[options.format](report);
      if (options.output) writeFileSync(options.output, `${text}\n`);
      else if (text !== '') console.log(text);
      if (!policies.source && options.format === 'text') {
        console.error(
          'No configuration found (harbormaster.yml): every built-in rule applies, enforced.',
        );
      }
      process.exitCode = exitCode;
    });
};

export { registerCheck };
