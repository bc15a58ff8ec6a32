import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfigData } from '#config/load-file.ts';
import { parseConfig } from '#config/parse.ts';
import { embeddedConfig, LAMBDA_BUNDLE } from '#infra/build/bundle.ts';
import { type ColdStartClosure, coldStartClosure } from '#infra/build/cold-start-closure.ts';
import { functionNames, ROOT } from '#infra/build/functions.ts';

/**
 * Cold-start invariants that comments used to hold, checked on each function's real bundle: what
 * its entry chunk and the chunks it imports statically may contain. A module listed here is either
 * never needed by the function, or loaded on demand behind a dynamic import().
 */

/** Modules no function may load at cold start. */
const NEVER_AT_COLD_START: readonly [RegExp, string][] = [
  // isDeepStrictEqual cost the enforcer 4 M instructions; the kernel and wings do without it.
  [/^node:util$/, 'node:util'],
  // The CLI's and the local tools' dependencies.
  [/node_modules\/(commander|yaml|fflate|esbuild|cron-parser)\//, 'a CLI or build dependency'],
  [/^(apps|test|infra)\//, 'the applications, tests or infra'],
  // Only the functions that send Slack alerts read the webhook, on demand.
  [/@aws-sdk\/client-ssm\//, 'the SSM client (read on demand when Slack is configured)'],
  // croner is loaded by the first periodic check of the batch jobs, not by every cold start.
  [/node_modules\/croner\//, 'croner (loaded by the first periodic check)'],
];

/** Each function's wing, and the wings it must not carry (its runners and renderers are its own). */
const WINGS_OF: Record<string, { own: readonly string[]; foreign: readonly string[] }> = {
  'service-alerts': { own: ['alerts'], foreign: ['guard', 'batch', 'policies', 'dead-letters'] },
  'dead-letters': { own: ['dead-letters', 'alerts'], foreign: ['guard', 'batch', 'policies'] },
  'deployment-guard': { own: ['guard', 'alerts'], foreign: ['batch', 'policies', 'dead-letters'] },
  'batch-jobs': { own: ['batch', 'alerts'], foreign: ['guard', 'policies', 'dead-letters'] },
  // Policy rollbacks go through the guard's rollback runner and settings (what the guard offers).
  'policy-enforcer': { own: ['policies', 'alerts'], foreign: ['batch', 'dead-letters'] },
  // Roll back now goes through the guard's rollback (what the guard offers).
  'chat-actions': { own: ['chat', 'alerts'], foreign: ['batch', 'policies', 'dead-letters'] },
};

const closures = new Map<string, ColdStartClosure>();

beforeAll(async () => {
  const file = join(ROOT, 'harbormaster.yml');
  const data = readConfigData(file);
  const config = parseConfig(data, file);
  for (const name of functionNames()) {
    const { metafile } = await build({
      ...LAMBDA_BUNDLE,
      entryPoints: { index: join(ROOT, 'functions', name, 'index.ts') },
      outdir: join(ROOT, '.build', 'metafile-check', name),
      write: false,
      metafile: true,
      define: embeddedConfig(name, data, config),
    });
    closures.set(name, coldStartClosure(metafile));
  }
}, 120_000);

describe.each(functionNames())('The %s bundle at cold start', (name) => {
  it('loads none of the modules kept out of every cold start', () => {
    // Prepare
    const closure = closures.get(name) as ColdStartClosure;
    // Act
    const found = [...closure.inputs, ...closure.externals].flatMap((module) =>
      NEVER_AT_COLD_START.filter(([pattern]) => pattern.test(module)).map(
        ([, what]) => `${module} (${what})`,
      ),
    );
    // Assess
    expect(closure.inputs.length).toBeGreaterThan(0);
    expect(found).toStrictEqual([]);
  });

  it('carries its own wing and no other function’s', () => {
    // Prepare
    const closure = closures.get(name) as ColdStartClosure;
    const wings = WINGS_OF[name] ?? { own: [], foreign: [] };
    // Act
    const carried = new Set(
      closure.inputs.flatMap((input) => /^shared\/([\w-]+)\//.exec(input)?.slice(1) ?? []),
    );
    // Assess
    for (const wing of wings.own) expect(carried).toContain(wing);
    expect(wings.foreign.filter((wing) => carried.has(wing))).toStrictEqual([]);
  });
});

describe('The batch-jobs bundle', () => {
  it('keeps croner and the fire-time code behind the first periodic check', () => {
    // Prepare
    const closure = closures.get('batch-jobs') as ColdStartClosure;
    // Assess
    expect(closure.inputs.some((input) => input.includes('shared/batch/schedule/fire-times'))).toBe(
      false,
    );
  });
});
