import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Measure {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  cpuSeconds: number;
  eventsPerCpuSecond: number;
  peakRssMiB: number;
  baseRssMiB: number;
  peakHeapMiB: number;
}

/** One replay of `events` in a fresh process (its peak memory is its own). */
const measure = async (events: number): Promise<Measure> => {
  const { stdout } = await run(
    process.execPath,
    [join(import.meta.dirname, 'replay-run.ts'), String(events)],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measure;
};

const range = (values: number[], digits = 0): string => {
  const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
  const sorted = [...values].sort((a, b) => a - b);
  return `${f(sorted[Math.floor(sorted.length / 2)] ?? 0)} (${f(sorted[0] ?? 0)} to ${f(sorted.at(-1) ?? 0)})`;
};

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * `harbormaster replay` over 10,000 and 100,000 events (the real incident stream repeated with new
 * ids and times): events per second (wall and CPU) and peak memory, median and range over runs.
 * Linear growth: events per second holds (100k over 10k near 1) and the memory the replay adds
 * over the process's start grows at most tenfold for ten times the events.
 */
const replayBench = async (): Promise<string[]> => {
  const sizes = [
    { events: 10_000, runs: 3 },
    { events: 100_000, runs: 2 },
  ];
  const results = new Map<number, Measure[]>();
  for (const { events, runs } of sizes) {
    const list: Measure[] = [];
    for (let i = 0; i < runs; i++) list.push(await measure(events));
    results.set(events, list);
  }
  const lines = [
    'Replay (incident stream repeated over 50 services; median (range) over runs; machine shared, so wall times vary)',
  ];
  for (const [events, list] of results) {
    lines.push(
      `${events.toLocaleString('en-US').padStart(8)} events: ${range(list.map((m) => m.eventsPerSecond))} events/s wall, ${range(list.map((m) => m.eventsPerCpuSecond))} per CPU-second; peak RSS ${range(list.map((m) => m.peakRssMiB))} MiB (start ${range(list.map((m) => m.baseRssMiB))} MiB), peak heap ${range(list.map((m) => m.peakHeapMiB))} MiB`,
    );
  }
  const small = results.get(10_000) ?? [];
  const large = results.get(100_000) ?? [];
  const speed =
    median(large.map((m) => m.eventsPerCpuSecond)) / median(small.map((m) => m.eventsPerCpuSecond));
  const grown = (list: Measure[]) => median(list.map((m) => m.peakRssMiB - m.baseRssMiB));
  const memory = grown(large) / grown(small);
  lines.push(
    `Time: events per CPU-second at 100k / at 10k = ${speed.toFixed(2)} (linear: about 1, at least 0.7) ${speed >= 0.7 ? 'met' : 'MISSED'}`,
    `Memory: added peak RSS at 100k / at 10k = ${memory.toFixed(1)} for 10x the events (linear: at most 10) ${memory <= 10 ? 'met' : 'MISSED'}`,
  );
  return lines;
};

export { replayBench };
