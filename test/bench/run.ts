import { batchBench } from './batch.ts';
import { chaosBench } from './chaos.ts';
import { checkBench } from './check.ts';
import { coldStartBench } from './cold-start.ts';
import { deliveryBench } from './delivery.ts';
import { deploymentGuardBench } from './deployment-guard.ts';
import { fleetCostBench } from './fleet-cost.ts';
import { hostileTextBench } from './hostile-text.ts';
import { linearMatchingBench } from './linear-matching.ts';
import { policyBench } from './policy.ts';
import { replayBench } from './replay.ts';
import { throughputBench } from './throughput.ts';

/** `npm run bench`: prints each benchmark's figures and whether its target is met. */
const benches: [string, () => Promise<string[]>][] = [
  ['batch', batchBench],
  ['cold start', coldStartBench],
  ['throughput', throughputBench],
  ['policy', policyBench],
  ['deployment guard', deploymentGuardBench],
  ['delivery', deliveryBench],
  ['replay', replayBench],
  ['hostile text', hostileTextBench],
  ['linear matching', linearMatchingBench],
  ['check', checkBench],
  ['chaos', chaosBench],
  ['fleet cost', fleetCostBench],
];

const only = process.argv.slice(2);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name.replaceAll(' ', '-'))) continue;
  const started = performance.now();
  const lines = await run();
  console.log(`\n== ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const line of lines) console.log(line);
}
