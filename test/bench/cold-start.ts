import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTIONS } from '../../functions/registry.ts';
import { buildFunctions, LAMBDA_BUNDLE } from '../../infra/build/bundle.ts';
import { ROOT } from '../../infra/build/functions.ts';
import { parseConfig } from '../../shared/config/parse.ts';
import { silentTelemetry } from '../../shared/core/telemetry.ts';
import { createRuntime } from '../../shared/runtime/runtime.ts';
import { LAMBDA_ENV } from '../support/lambda-env.ts';

const RUNS = 31;

const CLIENTS: Record<string, { pkg: string; cls: string }> = {
  'ecs-client': { pkg: '@aws-sdk/client-ecs', cls: 'ECSClient' },
  'sns-client': { pkg: '@aws-sdk/client-sns', cls: 'SNSClient' },
  'dynamodb-client': { pkg: '@aws-sdk/client-dynamodb', cls: 'DynamoDBClient' },
  'sqs-client': { pkg: '@aws-sdk/client-sqs', cls: 'SQSClient' },
  'cloudwatch-client': { pkg: '@aws-sdk/client-cloudwatch', cls: 'CloudWatchClient' },
};

/** The SDK clients a function constructs at cold start, observed by wiring it once. */
const clientsBuiltBy = async (name: string): Promise<string[]> => {
  const built: string[] = [];
  const runtime = createRuntime({
    functionName: name,
    config: parseConfig({}, 'bench'),
    env: LAMBDA_ENV,
    telemetry: silentTelemetry,
  });
  const once = runtime.once;
  const recording: typeof once = (key, make) => {
    built.push(key);
    return once(key, make);
  };
  await FUNCTIONS[name]?.wire({ ...runtime, once: recording });
  // A client is built once even when several adapters ask for it.
  return [...new Set(built)].filter((key) => key in CLIENTS);
};

/** A bundle that only imports and constructs the same SDK clients, built the same way: the floor. */
const buildFloor = async (clients: string[], dir: string): Promise<string> => {
  const imports = clients.map(
    (key) => `import { ${CLIENTS[key]?.cls} } from '${CLIENTS[key]?.pkg}';`,
  );
  const constructs = clients.map((key) => `new ${CLIENTS[key]?.cls}({ maxAttempts: 4 });`);
  const entry = join(dir, 'floor-entry.js');
  writeFileSync(entry, [...imports, ...constructs].join('\n'));
  await build({
    ...LAMBDA_BUNDLE,
    entryPoints: { index: entry },
    outdir: join(dir, 'out'),
    nodePaths: [join(ROOT, 'node_modules')],
  });
  return join(dir, 'out', 'index.mjs');
};

/** Milliseconds to import a module in a fresh Node process, measured inside it. */
const loadMs = (file: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...LAMBDA_ENV },
  });
  return Number(out.toString());
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Median load times of two modules, runs interleaved so background load affects both alike. */
const compareLoads = (ours: string, floor: string): { ours: number; floor: number } => {
  const times = { ours: [] as number[], floor: [] as number[] };
  for (let i = 0; i < RUNS; i += 1) {
    times.ours.push(loadMs(ours));
    times.floor.push(loadMs(floor));
  }
  return { ours: median(times.ours), floor: median(times.floor) };
};

/** Bundle size and cold load per function against the floor; target: at most 1.3 times the floor. */
const coldStartBench = async (): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'hm-bench-'));
  const built = await buildFunctions({
    configFile: join(ROOT, 'harbormaster.yml'),
    outDir: join(dir, 'functions'),
  });
  const lines = [
    `Cold load: import the bundle and construct its clients, median of ${RUNS} fresh Node ${process.versions.node} processes.`,
    'Floor: a bundle that only constructs the same SDK clients, built with the same esbuild options.',
    'function               bundle     zip   clients                       load ms  floor ms  ratio  target <= 1.3',
  ];
  for (const fn of built) {
    const clients = await clientsBuiltBy(fn.name);
    const floorDir = join(dir, `floor-${fn.name}`);
    mkdirSync(floorDir);
    const floorFile = await buildFloor(clients, floorDir);
    const { ours, floor } = compareLoads(fn.bundle, floorFile);
    const ratio = ours / floor;
    lines.push(
      [
        fn.name.padEnd(20),
        `${(fn.bundleBytes / 1024).toFixed(0)} KiB`.padStart(9),
        `${(fn.zipBytes / 1024).toFixed(0)} KiB`.padStart(8),
        clients
          .map((c) => c.replace('-client', ''))
          .join(',')
          .padEnd(28),
        ours.toFixed(1).padStart(8),
        floor.toFixed(1).padStart(9),
        ratio.toFixed(2).padStart(6),
        ratio <= 1.3 ? '  met' : '  MISSED',
      ].join(' '),
    );
  }
  return lines;
};

export { coldStartBench };
