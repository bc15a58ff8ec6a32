import { writeFileSync } from 'node:fs';
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
import { findConfigFile } from '../config-file.ts';
import { EXIT } from '../exit-codes.ts';
import type { ReplayOptions } from './replay.ts';

/** The configuration data, found as every command finds it (see findConfigFile), else none. */
const configData = (path: string | undefined): { data: unknown; source: string } => {
  const file = findConfigFile(path);
  return file ? { data: readConfigData(file), source: file } : { data: {}, source: 'defaults' };
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

/**
 * `harbormaster replay <events...>`: decides on recorded events offline, as the deployed
 * functions would, prints each decision and a summary, and compares settings.
 */
/**
 * Runs `harbormaster replay`. Loaded on demand by the command: the functions and their AWS clients
 * would cost every other command a second at start-up.
 */
const runReplay = async (paths: string[], options: ReplayOptions): Promise<void> => {
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
    throw new Error(`--until ${options.until}: expected an ISO time such as 2026-11-21T09:30:00Z`);
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
    onEntry: (entry) => (options.json ? console.log(JSON.stringify(entry)) : printer.entry(entry)),
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
};

export { runReplay };
