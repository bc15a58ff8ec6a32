import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The package stands on its own: every import is a Node built-in, a declared dependency or a file
// inside the package (never Harbormaster's shared/, functions/, apps/ or infra/ code).
const ROOT = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
  string,
  Record<string, string> | undefined
>;
const declared = new Set(
  ['dependencies', 'peerDependencies', 'devDependencies'].flatMap((k) =>
    Object.keys(manifest[k] ?? {}),
  ),
);

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });

const specifiers = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'";]*?from '([^']+)'/gm)].map(
    (m) => m[1] ?? '',
  );

const packageOf = (specifier: string): string =>
  specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : (specifier.split('/')[0] ?? '');

describe('@harbormaster/local-aws package boundary', () => {
  it('imports only Node built-ins, declared dependencies and its own files', () => {
    const strays: string[] = [];
    for (const file of sources(ROOT)) {
      for (const specifier of specifiers(file)) {
        const inside = specifier.startsWith('.')
          ? !relative(ROOT, resolve(dirname(file), specifier)).startsWith('..')
          : specifier.startsWith('node:') || declared.has(packageOf(specifier));
        if (!inside) strays.push(`${relative(ROOT, file)}: ${specifier}`);
      }
    }
    expect(sources(ROOT).length).toBeGreaterThan(50);
    expect(strays).toStrictEqual([]);
  });
});
