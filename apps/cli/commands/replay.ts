import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type RecordedLine, readRecordedEvents, where } from '#apps/replay/recorded-events.ts';
import { renderReport } from '#apps/replay/report/render-report.ts';
import { runScenarios } from '#apps/replay/run-replay.ts';
import { readStateFile } from '#apps/replay/state-files.ts';
import { compareText, summaryText, TextPrinter } from '#apps/replay/text-output.ts';
import { scenariosOf } from '#apps/replay/what-if.ts';
import { parseStartedBy } from '#batch/run-ids.ts';
import { readConfigData } from '#config/load-file.ts';
import { REPLAYABLE } from '#functions/registry.ts';
import { InvalidEventError } from '#kernel/errors.ts';
import { parseEvent } from '#kernel/events/parse.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

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

/** The configuration data named, else harbormaster.yml (or HARBORMASTER_CONFIG) if present, else none. */
const configData = (path: string | undefined): { data: unknown; source: string } => {
  const file = path ?? process.env.HARBORMASTER_CONFIG ?? 'harbormaster.yml';
  return path || existsSync(file)
    ? { data: readConfigData(file), source: file }
    : { data: {}, source: 'defaults' };
};

/** The stage whose batch job runs the recording shows: the first its tasks' startedBy names. */
const recordedStage = (lines: readonly RecordedLine[]): string | undefined => {
  for (const { raw } of lines) {
    const detail = (raw as { detail?: { startedBy?: unknown } } | null)?.detail;
    const run = parseStartedBy(typeof detail?.startedBy === 'string' ? detail.startedBy : '');
    if (run) return run.namespace;
  }
  return undefined;
};

/** The first line that is not JSON or not a readable event, as "file:line: why", if any. */
const firstUnreadable = (lines: readonly RecordedLine[]): string | undefined => {
  for (const line of lines) {
    if (line.problem) return `${where(line.source)}: ${line.problem}`;
    try {
      parseEvent(line.raw);
    } catch (error) {
      if (error instanceof InvalidEventError) return `${where(line.source)}: ${error.message}`;
      throw error;
    }
  }
  return undefined;
};

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
      const lines = readRecordedEvents(paths);
      const unreadable = options.strict ? firstUnreadable(lines) : undefined;
      if (unreadable) {
        console.error(`${unreadable} (--strict)`);
        process.exitCode = EXIT.usage;
        return;
      }
      const state = options.state.map(readStateFile);
      const until = options.until === undefined ? undefined : new Date(options.until);
      if (until && Number.isNaN(until.getTime()))
        throw new Error(
          `--until ${options.until}: expected an ISO time such as 2026-11-21T09:30:00Z`,
        );
      const { data, source } = configData(options.config);
      const scenarios = scenariosOf(data, source, options.set, options.compare);
      const printer = new TextPrinter((text) => console.log(text), options.all === true);
      const runs = await runScenarios(lines, {
        state: state.map((s) => s.json),
        scenarios,
        functions: REPLAYABLE,
        stage: options.stage ?? recordedStage(lines),
        keepEntries: options.report !== undefined,
        until,
        onEntry: (entry) =>
          options.json ? console.log(JSON.stringify(entry)) : printer.entry(entry),
      });
      if (!options.json) printer.flush();
      for (const run of runs)
        console.log(
          options.json
            ? JSON.stringify({ scenario: run.name, summary: run.summary })
            : `\n${run.name}\n${summaryText(run.summary)}`,
        );
      if (runs.length > 1 && !options.json) console.log(`\n${compareText(runs)}`);
      if (options.report) {
        writeFileSync(options.report, renderReport(runs, { paths, states: state }));
        if (!options.json) console.log(`\nReport: ${options.report}`);
      }
      process.exitCode = EXIT.ok;
    });
};

export { registerReplay };
