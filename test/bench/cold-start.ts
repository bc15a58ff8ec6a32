import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { readConfigData } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import type { ConfigSection } from '#config/schema.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import { buildFunctions, embeddedConfig, LAMBDA_BUNDLE } from '#infra/build/bundle.ts';
import { coldStartClosure } from '#infra/build/cold-start-closure.ts';
import { ROOT } from '#infra/build/functions.ts';
import { createRuntime } from '#kernel/runtime.ts';
import { silentTelemetry } from '#kernel/telemetry.ts';
import { LAMBDA_ENV } from '#support/lambda-env.ts';

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

/** Where each configuration section's schema is exported. */
const SECTION_MODULES: Record<ConfigSection, [module: string, name: string]> = {
  dryRun: ['shared/kernel/config/aws.ts', 'dryRunSection'],
  aws: ['shared/kernel/config/aws.ts', 'awsSection'],
  scope: ['shared/kernel/config/scope.ts', 'scopeSection'],
  alerts: ['shared/alerts/config.ts', 'alertsSection'],
  chat: ['shared/chat/config.ts', 'chatSection'],
  batchJobs: ['shared/batch/config.ts', 'batchJobsSection'],
  deploymentGuard: ['shared/guard/config.ts', 'deploymentGuardSection'],
  delivery: ['shared/delivery/config.ts', 'deliverySection'],
  enforcement: ['shared/policies/config.ts', 'enforcementSection'],
  policies: ['shared/policies/config.ts', 'policiesSection'],
  reservedConcurrency: ['shared/config/concurrency.ts', 'reservedConcurrencySection'],
};

/** The configuration a function's bundle embeds, as the build defines it. */
const configDefine = (name: string): Record<string, string> => {
  const file = join(ROOT, 'harbormaster.yml');
  const data = readConfigData(file);
  return embeddedConfig(name, data, parseConfig(data, file));
};

/** The SDK commands a function's bundle loads at cold start (its entry and the chunks it imports). */
const sdkCommandsLoadedBy = async (name: string, dir: string): Promise<[string, string][]> => {
  const { metafile } = await build({
    ...LAMBDA_BUNDLE,
    entryPoints: { index: join(ROOT, 'functions', name, 'index.ts') },
    outdir: join(dir, 'meta'),
    write: false,
    metafile: true,
    define: configDefine(name),
  });
  const commands = new Map<string, [string, string]>();
  for (const input of metafile ? coldStartClosure(metafile).inputs : []) {
    const m = /@aws-sdk\/(client-[\w-]+)\/dist-es\/commands\/(\w+Command)\.js$/.exec(input);
    if (m) commands.set(input, [`@aws-sdk/${m[1]}`, m[2] as string]);
  }
  return [...commands.values()];
};

/**
 * The floor plus what any function must load, before Harbormaster's own code: the SDK commands it
 * calls, the Powertools logger and metrics under Middy, and the cold-start check of its sections.
 */
const buildRequiredStack = async (
  name: string,
  clients: string[],
  dir: string,
): Promise<string> => {
  const sections = [
    'dryRun',
    'scope',
    ...Object.keys(FUNCTIONS[name]?.configSections ?? {}),
  ] as ConfigSection[];
  const commands = await sdkCommandsLoadedBy(name, dir);
  const lines = [
    ...clients.map((key) => `import { ${CLIENTS[key]?.cls} } from '${CLIENTS[key]?.pkg}';`),
    ...commands.map(([pkg, cls]) => `import { ${cls} } from '${pkg}';`),
    "import middy from '@middy/core';",
    "import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';",
    "import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';",
    `import { createPowertools } from '${join(ROOT, 'shared/kernel/powertools.ts')}';`,
    `import { parseSections } from '${join(ROOT, 'shared/kernel/config/sections.ts')}';`,
    ...sections.map((section) => {
      const [module, exported] = SECTION_MODULES[section];
      return `import { ${exported} } from '${join(ROOT, module)}';`;
    }),
    ...clients.map((key) => `new ${CLIENTS[key]?.cls}({ maxAttempts: 4 });`),
    `const powertools = createPowertools('${name}', 'bench');`,
    `const sections = { ${sections.map((s) => `${s}: ${SECTION_MODULES[s][1]}`).join(', ')} };`,
    'globalThis.required = [',
    "  parseSections(JSON.parse(__HARBORMASTER_CONFIG__).raw, 'bench', sections),",
    '  middy().use(injectLambdaContext(powertools.logger, { resetKeys: true }))',
    '    .use(logMetrics(powertools.metrics, { captureColdStartMetric: true })).handler(async () => 1),',
    `  ${commands.map(([, cls]) => cls).join(', ')}`,
    '];',
  ];
  const entry = join(dir, 'required-entry.js');
  writeFileSync(entry, lines.join('\n'));
  await build({
    ...LAMBDA_BUNDLE,
    entryPoints: { index: entry },
    outdir: join(dir, 'required'),
    nodePaths: [join(ROOT, 'node_modules')],
    define: configDefine(name),
  });
  return join(dir, 'required', 'index.mjs');
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

/** Median load time of each module, runs interleaved so background load affects all alike. */
const compareLoads = (files: Record<string, string>): Record<string, number> => {
  const times = Object.fromEntries(Object.keys(files).map((key) => [key, [] as number[]]));
  for (let i = 0; i < RUNS; i += 1) {
    for (const [key, file] of Object.entries(files)) times[key]?.push(loadMs(file));
  }
  return Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)]));
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
    'Required: the floor plus the SDK commands the function calls, Powertools logger and metrics under',
    '  Middy, and the cold-start check of its configuration sections; Harbormaster code adds the rest.',
    'function               bundle     zip   clients                       load ms  floor ms  ratio  target <= 1.3  required ms  ratio',
  ];
  for (const fn of built) {
    const clients = await clientsBuiltBy(fn.name);
    const fnDir = join(dir, `reference-${fn.name}`);
    mkdirSync(fnDir);
    const floorFile = await buildFloor(clients, fnDir);
    const requiredFile = await buildRequiredStack(fn.name, clients, fnDir);
    const ms = compareLoads({ ours: fn.bundle, floor: floorFile, required: requiredFile });
    const [ours, floor, required] = [ms.ours ?? NaN, ms.floor ?? NaN, ms.required ?? NaN];
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
        (ratio <= 1.3 ? '  met' : '  MISSED').padEnd(15),
        required.toFixed(1).padStart(11),
        (required / floor).toFixed(2).padStart(6),
      ].join(' '),
    );
  }
  return lines;
};

export { coldStartBench };
