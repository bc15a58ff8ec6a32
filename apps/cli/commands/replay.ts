import type { Command } from 'commander';
import { exitCodesHelp } from '../exit-codes.ts';

interface ReplayOptions {
  state: string[];
  config?: string;
  set: string[];
  compare: string[];
  stage?: string;
  json?: boolean;
  strict?: boolean;
  report?: string;
  all?: boolean;
  until?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `harbormaster replay <events...>`: decides on recorded events offline, as the deployed
 * functions would, prints each decision and a summary, and compares settings.
 */
const registerReplay = (program: Command): void => {
  program
    .command('replay')
    .description(
      'decide on recorded events offline, as the deployed functions would (no AWS call): ECS as the state files show it, brought forward by the events and by Harbormaster\u2019s own actions',
    )
    .argument(
      '<events...>',
      'recorded EventBridge events: JSON (an array or one event) or JSON Lines files (played in the order given), or directories of them (played in event-time order)',
    )
    .option(
      '--state <file>',
      'ECS before the events: `aws ecs describe-services --include TAGS` or `aws ecs describe-task-definition --include TAGS` output (repeatable); a service no state file describes is not decided',
      collect,
      [],
    )
    .option('--config <file>', 'configuration file (default: harbormaster.yml if present)')
    .option(
      '--set <key=value>',
      'override a configuration value for this run, e.g. deploymentGuard.failedTasks.count=2 (repeatable; values are YAML)',
      collect,
      [],
    )
    .option(
      '--compare <key=value ...>',
      'also replay with these overrides and compare (repeatable: one setting per option, several key=value separated by spaces)',
      collect,
      [],
    )
    .option(
      '--stage <name>',
      "the stage whose batch job runs to follow (default: the one the recording's task events name)",
    )
    .option(
      '--until <time>',
      "run the guard's one-minute sweep up to this ISO time after the last event (deadlines and bake times falling due after the recording ends)",
    )
    .option('--json', 'print one JSON object per event, then one {"summary"} object per setting')
    .option(
      '--all',
      'print every event (by default, runs of events no function acted on are folded)',
    )
    .option(
      '--strict',
      'stop at the first line that is not JSON or not a readable event, naming its file and line (default: report it and go on)',
    )
    .option('--report <file>', 'also write a self-contained HTML report (timelines, what-if chart)')
    .addHelpText(
      'after',
      `\nEach event gets an outcome: "acted" (a function would act), "ignored" (with each function's reason), "undecided" (the state files do not describe what it reads) or "invalid" (it cannot be read); each names its file and line.\n${exitCodesHelp({ ok: 'the events were replayed, whatever their outcomes' })}`,
    )
    .action(async (paths: string[], options: ReplayOptions) => {
      const { runReplay } = await import('./replay-run.ts');
      await runReplay(paths, options);
    });
};

export { type ReplayOptions, registerReplay };
