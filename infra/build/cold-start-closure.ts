import type { Metafile } from 'esbuild';

/** What a bundle loads before its handler runs: its entry chunk and the chunks it imports statically. */
interface ColdStartClosure {
  /** Source files bundled into those chunks, as esbuild names them (relative to the root). */
  inputs: string[];
  /** Modules they import from the runtime (node: built-ins). */
  externals: string[];
}

/**
 * The cold-start closure of a function's bundle: chunks reached from its entry (`index.mjs`) by
 * static imports only. Code behind a dynamic import() is loaded on first use, not at cold start.
 */
const coldStartClosure = (metafile: Metafile): ColdStartClosure => {
  const { outputs } = metafile;
  const loaded = new Set<string>();
  const visit = (path: string): void => {
    if (loaded.has(path) || !outputs[path]) return;
    loaded.add(path);
    for (const i of outputs[path].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(Object.keys(outputs).find((path) => path.endsWith('/index.mjs')) ?? '');
  const inputs = new Set<string>();
  const externals = new Set<string>();
  for (const path of loaded) {
    for (const input of Object.keys(outputs[path]?.inputs ?? {})) inputs.add(input);
    for (const i of outputs[path]?.imports ?? []) if (i.external) externals.add(i.path);
  }
  return { inputs: [...inputs].sort(), externals: [...externals].sort() };
};

export { type ColdStartClosure, coldStartClosure };
