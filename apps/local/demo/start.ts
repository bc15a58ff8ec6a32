import { Command, Option } from 'commander';
import { startDemoStack } from './demo-stack.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { Timeline } from './timeline.ts';

const program = new Command('npm start --')
  .description(
    'Runs Harbormaster against a simulated ECS account on an embedded AWS endpoint (no AWS account needed).',
  )
  .addOption(
    new Option('-s, --scenario <names...>', 'scenarios to play (default: all)').choices(
      SCENARIOS.map((s) => s.name),
    ),
  )
  .option('--list', 'list the scenarios and exit')
  .option('--json', 'print the timeline as JSON lines')
  .option(
    '--seed <n>',
    'seed for duplicate and out-of-order delivery',
    (v) => Number.parseInt(v, 10),
    7,
  )
  .option('--no-chaos', 'deliver every event exactly once, in order')
  .option(
    '--speed <factor>',
    'simulated seconds per real second (default: as fast as possible)',
    (value) => Number.parseFloat(value),
  )
  .action(
    async (options: {
      scenario?: string[];
      list?: boolean;
      json?: boolean;
      seed: number;
      chaos: boolean;
      speed?: number;
    }) => {
      if (options.list) {
        for (const scenario of SCENARIOS)
          console.log(`${scenario.name.padEnd(20)} ${scenario.title}`);
        return;
      }
      const chosen = options.scenario
        ? SCENARIOS.filter((s) => options.scenario?.includes(s.name))
        : SCENARIOS;
      const stack = await startDemoStack({
        chaosSeed: options.chaos ? options.seed : undefined,
        speed: options.speed,
      });
      try {
        const timeline = new Timeline(stack, {
          json: !!options.json,
          write: (line) => console.log(line),
        });
        if (!options.json) {
          console.log(
            `Harbormaster on a simulated account ${stack.local.accountId} (${stack.local.region}), endpoint ${stack.local.url}`,
          );
          console.log(
            'Events are delivered as EventBridge does: at least once, sometimes duplicated or out of order.',
          );
        }
        for (const scenario of chosen) {
          timeline.note(scenario.title, scenario.explains);
          await scenario.run(stack, timeline);
        }
      } finally {
        await stack.close();
      }
    },
  );

await program.parseAsync();
