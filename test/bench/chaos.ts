import { formatAccount } from '#apps/local/chaos/account.ts';
import { expectedEffects, runChaos } from '#apps/local/chaos/run-chaos.ts';

const SEEDS = 20;

const spread = (values: number[], digits = 0): string => {
  const f = (v: number) => v.toFixed(digits);
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${f(sorted[Math.floor(sorted.length / 2)] ?? 0)} (${f(sorted[0] ?? 0)} to ${f(sorted.at(-1) ?? 0)})`;
};

/**
 * `npm start -- --chaos` over 20 seeds at the default rates: the account of every side effect the
 * fault-free run makes (done once, dead-lettered with an alert, lost, doubled), summed, with the
 * faults each seed met and its CPU time. Target: 0 lost, 0 doubled.
 */
const chaosBench = async (): Promise<string[]> => {
  const expected = await expectedEffects(undefined);
  const totals = { 'done once': 0, 'dead-lettered with an alert': 0, lost: 0, doubled: 0 };
  const attempts: number[] = [];
  const failed: number[] = [];
  const crashes: number[] = [];
  const cpu: number[] = [];
  const details: string[] = [];
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const before = process.cpuUsage();
    const run = await runChaos({ seed, expected });
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1e6);
    attempts.push(run.attempts);
    failed.push(run.failedAttempts);
    crashes.push(run.crashes);
    for (const [fate, n] of Object.entries(run.account.totals))
      totals[fate as keyof typeof totals] += n;
    // The lines after the header and totals: each effect not done once, and anything unexpected.
    const notDoneOnce = formatAccount(run.account, '').slice(2);
    details.push(...notDoneOnce.map((line) => `  seed ${seed}: ${line.trim()}`));
  }
  const met = totals.lost === 0 && totals.doubled === 0;
  return [
    `${SEEDS} seeds, each the ${[...expected.values()].reduce((n, e) => n + e.count, 0)} side effects of the fault-free run:`,
    `  done once ${totals['done once']}, dead-lettered with an alert ${totals['dead-lettered with an alert']}, lost ${totals.lost}, doubled ${totals.doubled} (target: 0 lost, 0 doubled: ${met ? 'met' : 'NOT MET'})`,
    `  attempts per seed ${spread(attempts)}, failed ${spread(failed)}, crashes ${spread(crashes)}`,
    `  CPU per seed ${spread(cpu, 1)} s`,
    ...details,
  ];
};

export { chaosBench };
