import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };

/**
 * The floor plan, checked by reading the tree (issue "one wing per capability"): the kernel knows
 * no wing, the AWS adapters know only the kernel, a wing reaches another wing only through the
 * modules that wing offers, and nothing in shared/ reaches the functions or the applications.
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const WINGS = ['alerts', 'chat', 'guard', 'batch', 'policies', 'dead-letters'] as const;

/** The modules each wing offers other wings; everything else in a wing is its own business. */
const OFFERED: Record<(typeof WINGS)[number], readonly string[]> = {
  // The alerts wing's configuration type: the guard reads alerts.deploymentEvents.
  alerts: ['config.ts'],
  // The Slack app's channel (threads), its wiring and the chat section, for the alerts wing.
  chat: ['config.ts', 'channel.ts', 'wire.ts'],
  // Policy rollbacks go through the guard's rollback (one record per deployment), and the
  // deployment-guard rule reads the guard's settings for a service.
  guard: ['config.ts', 'settings.ts', 'ports.ts', 'actions/rollback.ts'],
  batch: [],
  // Progressive delivery's policy gate evaluates a revision with the policies before it runs.
  policies: ['config.ts', 'service-check.ts'],
  'dead-letters': [],
};

const ALIASES = Object.entries(packageJson.imports).map(([alias, target]) => ({
  prefix: alias.replace(/\*$/, ''),
  dir: resolve(ROOT, target.replace(/\*$/, '')),
}));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

// import/export ... from '...', import('...'), and side-effect imports.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

/** The project files a file imports, as paths relative to the root (packages left out). */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].flatMap(([, spec = '']) => {
    if (spec.startsWith('.')) return [relative(ROOT, resolve(dirname(file), spec))];
    const alias = ALIASES.find((a) => spec.startsWith(a.prefix));
    return alias ? [relative(ROOT, join(alias.dir, spec.slice(alias.prefix.length)))] : [];
  });

const area = (path: string): string => {
  const [top, second] = path.split('/');
  return top === 'shared' ? `shared/${second}` : (top ?? '');
};

/** Every import that breaks the floor plan, as "importer -> imported". */
const violations = (): string[] => {
  const files = ['shared', 'functions', 'apps'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
  const found: string[] = [];
  for (const file of files) {
    const from = relative(ROOT, file);
    const fromArea = area(from);
    for (const to of importsOf(file)) {
      const toArea = area(to);
      if (toArea === fromArea) continue;
      const allowed = (() => {
        if (fromArea.startsWith('shared/') && (toArea === 'functions' || toArea === 'apps'))
          return false;
        if (fromArea === 'functions' && toArea === 'apps') return false;
        if (fromArea === 'shared/kernel') return false;
        if (fromArea === 'shared/aws') return toArea === 'shared/kernel';
        if (toArea === 'shared/kernel' || toArea === 'shared/aws') return true;
        if (fromArea === 'shared/config') return to.endsWith('/config.ts');
        const wing = WINGS.find((w) => toArea === `shared/${w}`);
        if (wing && fromArea.startsWith('shared/')) {
          return OFFERED[wing].some((offered) => to === `shared/${wing}/${offered}`);
        }
        return fromArea === 'functions' || fromArea === 'apps' || toArea === 'infra';
      })();
      if (!allowed) found.push(`${from} -> ${to}`);
    }
  }
  return found.sort();
};

describe('The floor plan', () => {
  it('has no import from the kernel to a wing, between wings but through what a wing offers, or from shared/ to functions/ and apps/', () => {
    // Act
    const found = violations();
    // Assess
    expect(found).toStrictEqual([]);
  });

  it('sees the imports it checks (a floor plan that finds no import checks nothing)', () => {
    // Act
    const imports = importsOf(join(ROOT, 'functions/deployment-guard/definition.ts'));
    // Assess
    expect(imports).toContain('shared/guard/load.ts');
    expect(imports).toContain('shared/kernel/events/parse.ts');
  });
});
