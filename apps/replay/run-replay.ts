import type { AnyFunctionDefinition } from '#kernel/function-definition.ts';
import type { RecordedLine } from './recorded-events.ts';
import { type ReplayEntry, replayEvents } from './replay-engine.ts';
import { type ReplaySummary, SummaryCollector } from './summary.ts';
import type { Scenario } from './what-if.ts';

/** One scenario's replay: its name, the summary, and its entries when kept (for a report). */
interface ScenarioRun {
  name: string;
  summary: ReplaySummary;
  entries: ReplayEntry[];
}

/**
 * Replays the recording once per scenario, each in a fresh world (what one setting does never
 * leaks into another), and summarises each run. `onEntry` sees the first scenario's entries as
 * they are decided; later scenarios are only summarised.
 */
const runScenarios = async (
  lines: readonly RecordedLine[],
  options: {
    state: readonly unknown[];
    scenarios: readonly Scenario[];
    functions: readonly AnyFunctionDefinition[];
    stage: string | undefined;
    keepEntries: boolean;
    until?: Date | undefined;
    onEntry?: (entry: ReplayEntry) => void;
  },
): Promise<ScenarioRun[]> => {
  const runs: ScenarioRun[] = [];
  for (const [i, scenario] of options.scenarios.entries()) {
    let collector: SummaryCollector | undefined;
    const { entries, world } = await replayEvents(lines, {
      state: options.state,
      config: scenario.config,
      functions: options.functions,
      stage: options.stage,
      keepEntries: options.keepEntries,
      until: options.until,
      onEntry: (entry, event) => {
        collector?.observe(entry, event);
        if (i === 0) options.onEntry?.(entry);
      },
      onWorld: (created) => {
        collector = new SummaryCollector(created.ecs);
      },
    });
    const summary = (collector ?? new SummaryCollector(world.ecs)).summary(
      world.guardStore.watches,
    );
    runs.push({ name: scenario.name, summary, entries });
  }
  return runs;
};

export { runScenarios, type ScenarioRun };
