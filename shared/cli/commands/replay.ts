import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { REPLAYABLE } from '../../../functions/registry.ts';
import { loadConfigFile } from '../../config/load-file.ts';
import { parseConfig } from '../../config/parse.ts';
import type { Config } from '../../config/schema.ts';
import { readRecordedEvents } from '../../replay/recorded-events.ts';
import { type ReplayEntry, replayEvents } from '../../replay/replay-engine.ts';
import { EXIT } from '../exit-codes.ts';

interface ReplayOptions {
  state?: string;
  config?: string;
  json?: boolean;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The configuration named, else harbormaster.yml (or HARBORMASTER_CONFIG) if present, else defaults. */
const configFor = (path: string | undefined): Config => {
  const file = path ?? process.env.HARBORMASTER_CONFIG ?? 'harbormaster.yml';
  return path || existsSync(file) ? loadConfigFile(file) : parseConfig({}, 'defaults');
};

const line = (entry: ReplayEntry): string => {
  const when = entry.event.time ?? '?';
  const actions = entry.actions
    .filter((a) => a.type !== 'notify' || a.status !== 'skipped' || a.title)
    .map((a) =>
      a.type === 'rollback-service'
        ? `ROLLBACK ${String(a.cluster)}/${String(a.service)} to ${String(a.taskDefinition)}`
        : a.type === 'notify'
          ? `alert "${String(a.title)}"`
          : a.type,
    );
  return `${when}  ${entry.event.detailType ?? '?'}  ${entry.outcome}: ${entry.reason}${actions.length ? `\n    ${actions.join('\n    ')}` : ''}`;
};

/**
 * `harbormaster replay <events> --state <describe-services.json>`: decides on recorded events
 * offline, as the deployed functions would, and prints what each decision was.
 */
const registerReplay = (program: Command): void => {
  program
    .command('replay')
    .description(
      'decide on recorded events offline (no AWS call): state from `aws ecs describe-services` output, brought forward by the events',
    )
    .argument('<events>', 'recorded EventBridge events: a JSON array, one event, or JSON Lines')
    .option(
      '--state <file>',
      'the output of `aws ecs describe-services --include TAGS` before the events',
    )
    .option('--config <file>', 'configuration file (default: harbormaster.yml if present)')
    .option('--json', 'print one JSON object per event')
    .action(async (eventsFile: string, options: ReplayOptions) => {
      const events = readRecordedEvents(eventsFile);
      const state = options.state ? readJson(options.state) : { services: [] };
      const { entries } = await replayEvents(events, {
        state,
        config: configFor(options.config),
        functions: REPLAYABLE,
      });
      for (const entry of entries) console.log(options.json ? JSON.stringify(entry) : line(entry));
      process.exitCode = EXIT.ok;
    });
};

export { registerReplay };
