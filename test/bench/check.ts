import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { collectInputs } from '#apps/cli/check/inputs/collect.ts';
import { readInput } from '#apps/cli/check/inputs/read-input.ts';
import { checkSubject } from '#apps/cli/check/run-check.ts';
import { ROOT } from '#infra/build/functions.ts';
import { builtInPolicies } from '#policies/default-policies.ts';
import { TASK_DEFINITION_FIXTURES } from '#support/fixtures.ts';

const FILES = 1000;
const RUNS = 4;

// The real documents of every format (test/fixtures/task-definitions), copied round-robin.
const realDocuments = (): string[] =>
  collectInputs([TASK_DEFINITION_FIXTURES])
    .map((input) => input.path)
    .filter((path) => !path.includes('not-task-definitions') && !path.endsWith('manifest.json'));

const seconds = (command: () => void): number => {
  const started = performance.now();
  command();
  return (performance.now() - started) / 1000;
};

const spread = (values: number[], unit: (v: number) => string): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${unit(median)} (min ${unit(sorted[0] ?? 0)}, max ${unit(sorted.at(-1) ?? 0)}, ${values.length} runs)`;
};

/**
 * `harbormaster check` over 1,000 real task definition files (every input format): the command
 * as CI runs it, its start-up (one file) reported apart, and the time per file in process.
 */
const checkBench = async (): Promise<string[]> => {
  const sources = realDocuments();
  const dir = mkdtempSync(join(tmpdir(), 'hm-bench-check-'));
  try {
    for (let i = 0; i < FILES; i += 1) {
      const source = sources[i % sources.length] ?? '';
      const folder = join(dir, String(i % 50));
      mkdirSync(folder, { recursive: true });
      copyFileSync(source, join(folder, `${i}-${basename(source)}`));
    }
    const one = join(dir, '0', readdirSync(join(dir, '0'))[0] ?? '');
    const cli = (args: string[]) => () => {
      try {
        execFileSync(
          process.execPath,
          [
            join(ROOT, 'apps/cli/main.ts'),
            'check',
            ...args,
            '--fail-on',
            'none',
            '--format',
            'json',
          ],
          {
            cwd: dir,
            stdio: ['ignore', 'ignore', 'ignore'],
            maxBuffer: 256 * 1024 * 1024,
          },
        );
      } catch {
        // Exit codes are not the point here.
      }
    };
    const startup: number[] = [];
    const whole: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      startup.push(seconds(cli([one])));
      whole.push(seconds(cli([dir])));
    }
    // In process: read, recognise and check each file with the built-in policies.
    const policies = builtInPolicies();
    const inputs = collectInputs([dir]);
    const perFile: number[] = [];
    let subjects = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const took = seconds(() => {
        for (const input of inputs) {
          const read = readInput(input);
          if (!read || 'problem' in read) continue;
          for (const subject of read.subjects) {
            subjects += 1;
            checkSubject(subject, policies, {
              now: new Date(),
              exemptionTag: 'harbormaster:exempt',
            });
          }
        }
      });
      perFile.push((took / inputs.length) * 1000);
    }
    const ms = (v: number) => `${(v * 1000).toFixed(0)} ms`;
    const perFileCli = whole.map((t, i) => ((t - (startup[i] ?? 0)) / (FILES - 1)) * 1000);
    return [
      `harbormaster check over ${FILES} real task definition files (${sources.length} documents of every input format, copied round-robin; ${subjects / RUNS} task definitions and services per run)`,
      `CLI start-up, one file:              ${spread(startup, ms)}`,
      `CLI, ${FILES} files (one directory):   ${spread(whole, ms)}`,
      `CLI time per file, start-up apart:   ${spread(perFileCli, (v) => `${v.toFixed(2)} ms`)}`,
      `in process, per file (read, recognise, every built-in rule): ${spread(perFile, (v) => `${v.toFixed(2)} ms`)}`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export { checkBench };
