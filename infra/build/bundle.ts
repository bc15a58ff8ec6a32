import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { type Zippable, type ZippableFile, zipSync } from 'fflate';
import { readConfigData } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import type { Config } from '#config/schema.ts';
import { FUNCTIONS } from '#functions/registry.ts';
import { functionNames, ROOT } from './functions.ts';

/** What building one function produced. */
interface BuiltFunction {
  name: string;
  bundle: string;
  zip: string;
  bundleBytes: number;
  zipBytes: number;
}

// ESM bundles still meet CommonJS dependencies that call require(); give them one.
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** How every Lambda bundle is built: one ES module per function, the AWS SDK included. */
const LAMBDA_BUNDLE: BuildOptions = {
  outExtension: { '.js': '.mjs' },
  // Code loaded only on some paths (the Slack webhook read) goes to chunks loaded on demand.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  mainFields: ['module', 'main'],
  legalComments: 'none',
  banner: { js: REQUIRE_SHIM },
  logLevel: 'warning',
};

// A fixed timestamp keeps the zip identical for identical code, so deploys skip unchanged functions.
const ZIP_TIME = new Date('2020-01-01T00:00:00Z');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/**
 * What a function's bundle embeds: the sections it reads as the file has them (its cold start
 * validates them again), and the others as the build validated them.
 */
const bundledConfig = (
  data: unknown,
  config: Config,
  reads: readonly string[],
): { raw: Record<string, unknown>; validated: Partial<Config> } => {
  const sections = new Set<string>(['dryRun', 'scope', ...reads]);
  const file = (data ?? {}) as Record<string, unknown>;
  return {
    raw: Object.fromEntries(Object.entries(file).filter(([key]) => sections.has(key))),
    validated: Object.fromEntries(Object.entries(config).filter(([key]) => !sections.has(key))),
  };
};

/** The esbuild define that embeds a function's configuration in its bundle. */
const embeddedConfig = (name: string, data: unknown, config: Config): Record<string, string> => ({
  __HARBORMASTER_CONFIG__: JSON.stringify(
    JSON.stringify(bundledConfig(data, config, Object.keys(FUNCTIONS[name]?.configSections ?? {}))),
  ),
});

/**
 * Bundles each function into one minified ES module (AWS SDK included: it loads faster bundled
 * than from the runtime) and zips it as its Lambda artifact. The configuration file is validated
 * first and embedded, so a bad field fails the build with its name.
 */
const buildFunctions = async (options: {
  configFile: string;
  outDir?: string;
  names?: string[];
}): Promise<BuiltFunction[]> => {
  const outDir = options.outDir ?? join(ROOT, '.build');
  const configData = readConfigData(options.configFile);
  const config = parseConfig(configData, options.configFile);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const built: BuiltFunction[] = [];
  for (const name of options.names ?? functionNames()) {
    const dir = join(outDir, name);
    const bundle = join(dir, 'index.mjs');
    await build({
      ...LAMBDA_BUNDLE,
      entryPoints: { index: join(ROOT, 'functions', name, 'index.ts') },
      outdir: dir,
      define: embeddedConfig(name, configData, config),
    });
    const files = filesUnder(dir);
    const zip = join(outDir, `${name}.zip`);
    const entries: Zippable = Object.fromEntries(
      files.map((file): [string, ZippableFile] => [
        relative(dir, file),
        [readFileSync(file), { mtime: ZIP_TIME, level: 9 }],
      ]),
    );
    writeFileSync(zip, zipSync(entries));
    const bundleBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
    built.push({ name, bundle, zip, bundleBytes, zipBytes: statSync(zip).size });
  }
  return built;
};

export { type BuiltFunction, buildFunctions, embeddedConfig, LAMBDA_BUNDLE };
