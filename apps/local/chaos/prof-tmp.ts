import { formatAccount } from './account.ts';
import { expectedEffects, runChaos } from './run-chaos.ts';
const seeds = process.argv.slice(2).map(Number);
const expected = await expectedEffects(undefined);
for (const seed of seeds) {
  const run = await runChaos({ seed, expected });
  const lines = formatAccount(run.account, `seed ${seed}`);
  console.log(lines.filter((l, i) => i < 2 || /doubled|lost|unexpected: (?!sns|slack)/.test(l)).join('\n'));
}
process.exit(0);
