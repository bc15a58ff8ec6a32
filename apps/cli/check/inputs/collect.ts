import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { compileGlob } from '#policies/glob.ts';

/** A file to read: named on the command line, or found in a directory or by a glob. */
interface InputFile {
  path: string;
  /** True when the file was named itself (or is stdin): problems with it are always reported. */
  explicit: boolean;
}

/** Include and exclude globs for directories: a glob without "/" matches the base name. */
interface WalkOptions {
  include: readonly string[];
  exclude: readonly string[];
}

const DEFAULT_INCLUDE = ['*.json', '*.yaml', '*.yml', '*.json.tpl', '*.json.tftpl', '*.template'];
// Dependencies, VCS data, and the parts of a cdk.out that are not templates.
const DEFAULT_EXCLUDE = [
  'node_modules',
  '.git',
  '.terraform',
  '*.assets.json',
  'tree.json',
  'asset.*',
  'cdk.context.json',
  'package*.json',
  'tsconfig*.json',
];

const posix = (path: string): string => path.split(sep).join('/');

const matcher = (globs: readonly string[]) => {
  const compiled = globs.map((glob) => ({
    test: compileGlob(glob.replace(/^\*\*\//, '')).test,
    full: glob.includes('/'),
  }));
  return (path: string): boolean =>
    compiled.some(({ test, full }) => (full ? test(path) : test(basename(path))));
};

const MAGIC = /[*?[]/;

/** The directory a glob's matches live under: its leading segments without wildcards. */
const globBase = (glob: string): string => {
  const segments = posix(glob).split('/');
  const index = segments.findIndex((segment) => MAGIC.test(segment));
  return segments.slice(0, index).join('/') || '.';
};

/** Files under a directory, recursively, in a stable order, that the globs select. */
const walk = (
  root: string,
  accept: (relativePath: string) => boolean,
  prune: (relativePath: string) => boolean,
): string[] => {
  const out: string[] = [];
  const visit = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = posix(relative(root, path));
      if (prune(rel)) continue;
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && accept(rel)) out.push(path);
    }
  };
  visit(root);
  return out;
};

/**
 * The files the arguments name: files as given, directories walked (include and exclude globs,
 * defaults for task definition formats), globs expanded, `-` for standard input. An argument that
 * matches nothing is returned as given, so reading it reports the problem.
 */
const collectInputs = (
  args: readonly string[],
  options: Partial<WalkOptions> = {},
): InputFile[] => {
  const include = matcher(options.include?.length ? options.include : DEFAULT_INCLUDE);
  const exclude = matcher([...DEFAULT_EXCLUDE, ...(options.exclude ?? [])]);
  const seen = new Set<string>();
  const out: InputFile[] = [];
  const add = (path: string, explicit: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, explicit });
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-', true);
      continue;
    }
    if (MAGIC.test(arg)) {
      const base = globBase(arg);
      const pattern = compileGlob(posix(arg).replace(/^\.\//, ''));
      let matches: string[] = [];
      try {
        matches = walk(
          base,
          (rel) => pattern.test(posix(join(base, rel)).replace(/^\.\//, '')),
          exclude,
        );
      } catch {
        // A base directory that does not exist: the argument is reported as unreadable below.
      }
      if (matches.length === 0) add(arg, true);
      for (const match of matches) add(match, false);
      continue;
    }
    let directory = false;
    try {
      directory = statSync(arg).isDirectory();
    } catch {
      // Missing: reading it reports the problem.
    }
    if (!directory) add(arg, true);
    else for (const file of walk(arg, include, exclude)) add(file, false);
  }
  return out;
};

export { collectInputs, DEFAULT_EXCLUDE, DEFAULT_INCLUDE, type InputFile, type WalkOptions };
