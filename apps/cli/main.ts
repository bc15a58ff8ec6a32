#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerApprovals } from './commands/approve.ts';
import { registerCheck } from './commands/check.ts';
import { registerHooks } from './commands/hooks.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRules } from './commands/rules.ts';
import { registerRunJob } from './commands/run-job.ts';
import { registerValidate } from './commands/validate.ts';
import { EXIT } from './exit-codes.ts';

/** The `harbormaster` command line: offline tools for configuration, policies, replays and jobs. */
const program = new Command('harbormaster')
  .description('Harbormaster: event-driven guardrails for Amazon ECS')
  .version(packageJson.version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    'after',
    "\nRun `harbormaster <command> --help` for a command's options and exit codes (0 ok, 1 findings, 2 usage).",
  );

registerValidate(program);
registerCheck(program);
registerRules(program);
registerReplay(program);
registerRunJob(program);
registerHooks(program);
registerApprovals(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; a usage error exits 2 (1 is kept for findings).
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = EXIT.usage;
  }
}
