import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { scheduleIssues } from '#batch/config.ts';
import { formatPath, toFieldIssues } from '#kernel/events/schema-helpers.ts';
import { configSchema } from './schema.ts';

/** One problem in a configuration file, with its line when the file has the field. */
interface ConfigProblem {
  path: string;
  message: string;
  line?: number | undefined;
}

/** What validating one file found; `readable` is false when it could not be read at all. */
interface ConfigReport {
  readable: boolean;
  problems: ConfigProblem[];
}

type Key = string | number;

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const saved = row[j] ?? 0;
      row[j] = Math.min(
        (row[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = saved;
    }
  }
  return row[b.length] ?? 0;
};

/** The known key nearest a misspelled one, if one is near enough to be meant. */
const nearestKey = (key: string, known: readonly string[]): string | undefined => {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3))
    ? best
    : undefined;
};

type AnySchema = v.GenericSchema & Record<string, unknown>;

/** The field names a schema accepts at a path, walking objects, lists, records and wrappers. */
const keysAt = (schema: AnySchema | undefined, path: readonly Key[], data: unknown): string[] => {
  let node: AnySchema | undefined = schema;
  let value: unknown = data;
  const unwrap = () => {
    for (let guard = 0; node && guard < 20; guard += 1) {
      if (node.type === 'lazy' && typeof node.getter === 'function')
        node = (node.getter as (i: unknown) => AnySchema)(value);
      else if ('wrapped' in node && node.wrapped) node = node.wrapped as AnySchema;
      else if (Array.isArray(node.pipe) && node.pipe[0] !== node) node = node.pipe[0] as AnySchema;
      else break;
    }
  };
  for (const key of path) {
    unwrap();
    if (!node) return [];
    const entries = node.entries as Record<string, AnySchema> | undefined;
    if (entries && typeof key === 'string') node = entries[key];
    else if (node.item) node = node.item as AnySchema;
    else if (node.value && node.type === 'record') node = node.value as AnySchema;
    else return [];
    value = (value as Record<Key, unknown> | undefined)?.[key];
  }
  unwrap();
  return node?.entries ? Object.keys(node.entries as object) : [];
};

// Walks the YAML tree to the deepest node on the path; for a map entry, its key is the position.
const lineOf = (
  root: Node | null,
  lines: LineCounter,
  path: readonly Key[],
): number | undefined => {
  let node: unknown = root;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as { range?: [number] } | undefined;
      if (!item) break;
      offset = item.range?.[0];
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
};

const rawIssues = (data: unknown): { path: Key[]; message: string }[] => {
  const result = v.safeParse(configSchema(), data ?? {});
  const issues = result.success
    ? []
    : result.issues.flatMap((i) => (i.type === 'union' && i.issues ? i.issues : [i]));
  return [
    ...issues.map((issue) => ({
      path: (issue.path ?? []).map((item) => item.key as Key),
      message: toFieldIssues([issue], { echo: true })[0]?.message ?? issue.message,
    })),
    ...scheduleIssues(data).map((issue) => ({
      path: issue.path.split('.'),
      message: issue.message,
    })),
  ];
};

// Removes the field an issue names, so that checks across fields (which run once every field is
// valid) see the rest of the file in the next round.
const without = (data: unknown, path: readonly Key[]): void => {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((value, key) => (value as Record<Key, unknown> | undefined)?.[key], data);
  const last = path.at(-1);
  if (last !== undefined && parent && typeof parent === 'object' && !Array.isArray(parent)) {
    delete (parent as Record<Key, unknown>)[last];
  }
};

/**
 * Every problem in a configuration file, in one run: field problems, and the problems found
 * across fields once the fields with problems are set aside (up to three rounds); each with the
 * nearest known key for a misspelled one, and its line.
 */
const validateConfigFile = (file: string): ConfigReport => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      readable: false,
      problems: [{ path: '', message: `cannot read the file (${(error as Error).message})` }],
    };
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length > 0) {
    return {
      readable: true,
      problems: document.errors.map((e) => ({
        path: '',
        message: e.message.split('\n')[0] ?? e.message,
        line: e.linePos?.[0]?.line,
      })),
    };
  }
  const original: unknown = document.toJS();
  const working: unknown = structuredClone(original);
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (let round = 0; round < 3; round += 1) {
    const fresh = rawIssues(working).filter((issue) => !seen.has(formatPath(issue.path)));
    if (fresh.length === 0) break;
    for (const issue of fresh) {
      const path = formatPath(issue.path);
      seen.add(path);
      let message = issue.message;
      const key = issue.path.at(-1);
      if (message === 'unknown field' && typeof key === 'string') {
        const known = keysAt(configSchema() as AnySchema, issue.path.slice(0, -1), original);
        const near = nearestKey(
          key,
          known.filter((k) => k !== key),
        );
        if (near) message = `unknown field; did you mean ${near}?`;
      }
      problems.push({ path, message, line: lineOf(document.contents, lines, issue.path) });
      without(working, issue.path);
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.path.localeCompare(b.path));
  return { readable: true, problems };
};

export { type ConfigProblem, type ConfigReport, nearestKey, validateConfigFile };
