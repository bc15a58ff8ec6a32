import type { Command } from 'commander';
import { loadConfigFile } from '#config/load-file.ts';
import { ConfigError } from '#kernel/errors.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

/** `harbormaster validate <config...>`: checks configuration files and names every bad field. */
const registerValidate = (program: Command): void => {
  program
    .command('validate')
    .description('check configuration files; every bad field is named with its path')
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
        try {
          loadConfigFile(file);
          return { file, valid: true, problems: [] as { path: string; message: string }[] };
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          return { file, valid: false, problems: [...error.issues] };
        }
      });
      if (options.json) {
        console.log(JSON.stringify({ results }, null, 2));
      } else {
        for (const result of results) {
          console.log(
            result.valid
              ? `${result.file}: valid`
              : `${result.file}: ${result.problems.length} problem(s)`,
          );
          for (const problem of result.problems)
            console.log(`  ${problem.path || '(root)'}: ${problem.message}`);
        }
      }
      process.exitCode = results.every((r) => r.valid) ? EXIT.ok : EXIT.findings;
    });
};

export { registerValidate };
