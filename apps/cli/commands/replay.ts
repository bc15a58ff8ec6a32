import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseStartedBy } from '#batch/run-ids.ts';
import { loadConfigFile } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import type { Config } from '#config/schema.ts';
import { REPLAYABLE } from '#functions/registry.ts';
import { readRecordedEvents } from '../../replay/recorded-events.ts';
import { type ReplayEntry, replayEvents } from '../../replay/replay-engine.ts';
import type { ReplayedAction } from '../../replay/replay-view.ts';
import { EXIT, exitCodesHelp } from '../exit-codes.ts';

interface ReplayOptions {
  state: string[];
  config?: string;
  stage?: string;
  json?: boolean;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The configuration named, else harbormaster.yml (or HARBORMASTER_CONFIG) if present, else defaults. */
const configFor = (path: string | undefined): Config => {
  const file = path ?? process.env.HARBORMASTER_CONFIG ?? 'harbormaster.yml';
  return path || existsSync(file) ? loadConfigFile(file) : parseConfig({}, 'defaults');
};

/** The stage whose batch job runs the recording shows: the first its tasks' startedBy names. */
const recordedStage = (events: readonly unknown[]): string | undefined => {
  for (const event of events) {
    const detail = (event as { detail?: { startedBy?: unknown } } | null)?.detail;
    const run = parseStartedBy(typeof detail?.startedBy === 'string' ? detail.startedBy : '');
    if (run) return run.namespace;
  }
  return undefined;
};

const actionLine = (a: ReplayedAction): string => {
  const text = (v: unknown) => String(v ?? '');
  switch (a.type) {
    case 'rollback':
      return `ROLLBACK ${text(a.cluster)}/${text(a.service)} to ${text(a.taskDefinition)}`;
    case 'notify':
      return `alert "${text(a.title)}"`;
    case 'stop':
      return `STOP task ${text(a.taskArn)} (${text(a.reason)})`;
    case 'answer-hook':
      return `ANSWER ${text(a.hookStatus)}${a.callBackDelay === undefined ? '' : ` (again in ${text(a.callBackDelay)} s)`}: ${text(a.reason)}`;
    default:
      return `${a.type}: ${a.detail}`;
  }
};

const line = (entry: ReplayEntry): string => {
  const when = entry.event.time ?? '?';
  // Alerts that found no channel offline are still shown; skipped ones without a title are not.
  const actions = entry.actions
    .filter((a) => a.type !== 'notify' || a.status !== 'skipped' || a.title)
    .map(actionLine);
  return `${when}  ${entry.event.detailType ?? '?'}  ${entry.outcome}: ${entry.reason}${actions.length ? `\n    ${actions.join('\n    ')}` : ''}`;
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `harbormaster replay <events...>`: decides on recorded events offline, as the deployed
 * functions would, and prints what each decision was.
 */
const registerReplay = (program: Command): void => {
  program
    .command('replay')
    .description(
      'decide on recorded events offline, as the deployed functions would (no AWS call): ECS as the state files show it, brought forward by the events',
    )
    .argument(
      '<events...>',
      'recorded EventBridge events: JSON (an array or one event) or JSON Lines files, or directories of them',
    )
    .option(
      '--state <file>',
      'ECS before the events: `aws ecs describe-services --include TAGS` or `aws ecs describe-task-definition --include TAGS` output (repeatable)',
      collect,
      [],
    )
    .option('--config <file>', 'configuration file (default: harbormaster.yml if present)')
    .option(
      '--stage <name>',
      "the stage whose batch job runs to follow (default: the one the recording's task events name)",
    )
    .option('--json', 'print one JSON object per event')
    .addHelpText(
      'after',
      `\nEach event gets an outcome: "acted" (a function would act), "ignored" (with each function's reason) or "invalid" (it cannot be read).\n${exitCodesHelp({ ok: 'the events were replayed, whatever their outcomes' })}`,
    )
    .action(async (paths: string[], options: ReplayOptions) => {
      const events = readRecordedEvents(paths);
      const { entries } = await replayEvents(events, {
        state: options.state.map(readJson),
        config: configFor(options.config),
        functions: REPLAYABLE,
        stage: options.stage ?? recordedStage(events),
      });
      for (const entry of entries) console.log(options.json ? JSON.stringify(entry) : line(entry));
      process.exitCode = EXIT.ok;
    });
};

export { registerReplay };
