import { Command, Option } from 'commander';
import { formatAccount } from '../chaos/account.ts';
import { DEFAULT_RATES } from '../chaos/chaos.ts';
import { type ChaosRun, expectedEffects, runChaos } from '../chaos/run-chaos.ts';
import { startDemoStack } from './demo-stack.ts';

const parseRate = (value: string): number => {
  const rate = Number.parseFloat(value);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`expected a rate between 0 and 1, got ${value}`);
  return rate;
};

const chaosHeader = (seed: number, run: ChaosRun): string =>
  `Chaos account (seed ${seed}): ${run.attempts} attempts, ${run.failedAttempts} failed, ${run.crashes} crashed right after a claim`;

import { NAMED_SCENARIOS, SCENARIOS } from './scenarios/index.ts';

const ALL_SCENARIOS = [...SCENARIOS, ...NAMED_SCENARIOS];

import { Timeline } from './timeline.ts';

const program = new Command('npm start --')
  .description(
    'Runs Harbormaster against a simulated ECS account on an embedded AWS endpoint (no AWS account needed).',
  )
  .argument(
    '[scenarios...]',
    `scenarios to play (default: all but ${NAMED_SCENARIOS.map((s) => s.name).join(', ')})`,
  )
  .addOption(
    new Option('-s, --scenario <names...>', 'scenarios to play (as the arguments)').choices(
      ALL_SCENARIOS.map((s) => s.name),
    ),
  )
  .option('--list', 'list the scenarios and exit')
  .option('--json', 'print the timeline as JSON lines')
  .option(
    '--seed <n>',
    'seed for duplicate and out-of-order delivery, and for the faults of --chaos',
    (v) => Number.parseInt(v, 10),
    7,
  )
  .option('--in-order', 'deliver every event exactly once, in order (no duplicates, no reordering)')
  .option(
    '--chaos',
    `also inject faults, then account for every side effect the scenarios expect (done once, dead-lettered with an alert, lost, doubled): throttling (rate ${DEFAULT_RATES.throttling}) and 5xx (${DEFAULT_RATES.serverErrors}) on the functions' calls, lost responses to DynamoDB writes (${DEFAULT_RATES.lostResponses}), crashes right after lease claims (${DEFAULT_RATES.crashAfterClaim}); Lambda retries 1 and 2 simulated minutes later, then dead-letters`,
  )
  .option('--throttling <rate>', 'with --chaos: rate of throttling errors (0..1)', parseRate)
  .option('--server-errors <rate>', 'with --chaos: rate of 5xx answers (0..1)', parseRate)
  .option(
    '--lost-responses <rate>',
    'with --chaos: rate of DynamoDB writes applied but answered 5xx (0..1)',
    parseRate,
  )
  .option(
    '--crashes <rate>',
    'with --chaos: rate of lease claims right after which the attempt dies (0..1)',
    parseRate,
  )
  .option(
    '--speed <factor>',
    'simulated seconds per real second (default: as fast as possible)',
    (value) => Number.parseFloat(value),
  )
  .action(
    async (
      named: string[],
      options: {
        scenario?: string[];
        list?: boolean;
        json?: boolean;
        seed: number;
        inOrder?: boolean;
        chaos?: boolean;
        throttling?: number;
        serverErrors?: number;
        lostResponses?: number;
        crashes?: number;
        speed?: number;
      },
    ) => {
      if (options.list) {
        for (const scenario of ALL_SCENARIOS)
          console.log(`${scenario.name.padEnd(20)} ${scenario.title}`);
        return;
      }
      const unknown = named.filter((name) => !ALL_SCENARIOS.some((s) => s.name === name));
      if (unknown.length > 0) program.error(`unknown scenario: ${unknown.join(', ')} (see --list)`);
      const names = [...named, ...(options.scenario ?? [])];
      const chosen =
        names.length > 0 ? ALL_SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
      const rates = {
        ...(options.throttling === undefined ? {} : { throttling: options.throttling }),
        ...(options.serverErrors === undefined ? {} : { serverErrors: options.serverErrors }),
        ...(options.lostResponses === undefined ? {} : { lostResponses: options.lostResponses }),
        ...(options.crashes === undefined ? {} : { crashAfterClaim: options.crashes }),
      };
      if (options.chaos) {
        const names = chosen.map((s) => s.name);
        console.log('Playing the scenarios once without faults, to know what they should do...');
        const expected = await expectedEffects(options.seed, names);
        const run = await runChaos({
          seed: options.seed,
          rates,
          expected,
          scenarios: names,
          timeline: (stack) =>
            new Timeline(stack, { json: !!options.json, write: (line) => console.log(line) }),
        });
        for (const line of formatAccount(run.account, chaosHeader(options.seed, run)))
          console.log(line);
        // A crashed attempt's call never answers: nothing is left to wait for.
        process.exit(run.account.totals.lost + run.account.totals.doubled > 0 ? 1 : 0);
      }
      const stack = await startDemoStack({
        chaosSeed: options.inOrder ? undefined : options.seed,
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
