import { startDemoStack } from '../demo/demo-stack.ts';
import { SCENARIOS } from '../demo/scenarios/index.ts';
import { Timeline } from '../demo/timeline.ts';
import type { LocalStack } from '../lambda/local-stack.ts';
import { type Account, accountFor } from './account.ts';
import { type ChaosRates, createChaos } from './chaos.ts';
import { type EffectCounts, observeEffects } from './effects.ts';

// After the last scenario, time for Lambda's retries (1 + 2 minutes) and the dead-letter path.
const DRAIN_MS = 10 * 60_000;

// The chat scenario has people press buttons they see: under faults a button's alert may come
// late or be dead-lettered, and what the click would have done is then not done by anyone, which
// the account would call lost although no side effect was. Its exactly-once behaviour (double
// clicks, two people, retries) is tested on its own (test/unit/chat, test/e2e/demo-outcomes).
const IN_CHAOS_BY_DEFAULT = (name: string): boolean => name !== 'chat';

interface ChaosRun {
  account: Account;
  crashes: number;
  attempts: number;
  failedAttempts: number;
}

/** Plays `scenarios` on a demo stack, then lets pending retries run out. */
const play = async (
  stack: LocalStack,
  scenarios: readonly string[] | undefined,
  timeline?: Timeline,
): Promise<void> => {
  const line = timeline ?? new Timeline(stack, { json: true, write: () => undefined });
  for (const scenario of SCENARIOS) {
    if (scenarios ? !scenarios.includes(scenario.name) : !IN_CHAOS_BY_DEFAULT(scenario.name))
      continue;
    line.note(scenario.title, scenario.explains);
    await scenario.run(stack, line);
  }
  await stack.elapse(DRAIN_MS);
};

/**
 * The side effects of the account's seeding and the scenarios without faults (delivery still
 * duplicated and reordered by `seed`; undefined: in order).
 */
const expectedEffects = async (
  seed: number | undefined,
  scenarios?: readonly string[],
): Promise<EffectCounts> => {
  const stack = await startDemoStack({ chaosSeed: seed });
  try {
    await play(stack, scenarios);
    return observeEffects(stack);
  } finally {
    await stack.close();
  }
};

/** Plays the scenarios with the chaos mode's faults and accounts for every expected side effect. */
const runChaos = async (options: {
  seed: number;
  rates?: Partial<ChaosRates>;
  expected: EffectCounts;
  scenarios?: readonly string[];
  timeline?: (stack: LocalStack) => Timeline;
}): Promise<ChaosRun> => {
  const chaos = createChaos(options.seed, options.rates);
  const stack = await startDemoStack({ chaosSeed: options.seed, chaos });
  try {
    // Faults begin with the seeding of the account: its effects are accounted for too.
    await play(stack, options.scenarios, options.timeline?.(stack));
    const invocations = stack.lambda.invocations;
    return {
      account: accountFor(stack, options.expected),
      crashes: chaos.counts.crashes,
      attempts: invocations.length,
      failedAttempts: invocations.filter((i) => i.error).length,
    };
  } finally {
    await stack.close();
  }
};

export { type ChaosRun, expectedEffects, runChaos };
