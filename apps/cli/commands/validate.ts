import type { Command } from 'commander';
import { validateConfigFile } from '#config/validate-report.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

/** `harbormaster validate <config...>`: checks configuration files and names every bad field. */
const registerValidate = (program: Command): void => {
  program
    .command('validate')
    .description(
      'check configuration files; every bad field is named with its path and line, in one run',
    )
    .argument('<config...>', 'configuration files (YAML or JSON)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      exitCodesHelp({
        ok: 'every file is valid',
        findings: 'a file has a bad field (each is named)',
      }),
    )
    .action((files: string[], options: { json?: boolean }) => {
      const results = files.map((file) => {
        const report = validateConfigFile(file);
        return {
          file,
          readable: report.readable,
          valid: report.problems.length === 0,
          problems: report.problems,
        };
      });
      if (options.json) {
        console.log(
          JSON.stringify(
            { results: results.map(({ readable: _readable, ...result }) => result) },
            null,
            2,
          ),
        );
      } else {
        for (const result of results) {
          console.log(
            result.valid
              ? `${result.file}: valid`
              : `${result.file}: ${result.problems.length} problem(s)`,
          );
          for (const problem of result.problems) {
            const line = problem.line === undefined ? '' : `line ${problem.line}: `;
            console.log(`  ${line}${problem.path || '(root)'}: ${problem.message}`);
          }
        }
      }
      process.exitCode = results.some((r) => !r.readable)
        ? EXIT.usage
        : results.every((r) => r.valid)
          ? EXIT.ok
          : EXIT.findings;
    });
};

export { registerValidate };
