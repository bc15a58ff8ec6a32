import { formatAccount } from '#apps/local/chaos/account.ts';
import { expectedEffects, runChaos } from '#apps/local/chaos/run-chaos.ts';

const t0 = performance.now();
const expected = await expectedEffects(7);
console.log(
  'baseline',
  Math.round(performance.now() - t0),
  [...expected.entries()].map(([k, v]) => `${k} x${v.count} [${v.functions}]`),
);
const seed = Number(process.argv[2] ?? 1);
const t1 = performance.now();
const run = await runChaos({ seed, expected });
console.log(
  formatAccount(run.account, `seed ${seed}`).join('\n'),
  'crashes',
  run.crashes,
  'attempts',
  run.attempts,
  'failed',
  run.failedAttempts,
  Math.round(performance.now() - t1),
);
process.exit(0);
