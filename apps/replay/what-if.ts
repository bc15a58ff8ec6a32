import { parse as parseYaml } from 'yaml';
import { parseConfig } from '#config/parse.ts';
import type { Config } from '#config/schema.ts';

/** One `key=value` override: a configuration path and the value (read as YAML: 2, true, [a, b]). */
interface Assignment {
  text: string;
  path: (string | number)[];
  value: unknown;
}

/** A named set of overrides replayed side by side with the others. */
interface Scenario {
  name: string;
  assignments: Assignment[];
  config: Config;
}

const SEGMENT = /^([A-Za-z_][\w-]*)((?:\[\d+\])*)$/;

/** Reads `deploymentGuard.services[0].failedTasks.count=2`; the value is YAML, like the file. */
const parseAssignment = (text: string): Assignment => {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new Error(`--set ${text}: expected key=value (e.g. deploymentGuard.failedTasks.count=2)`);
  const key = text.slice(0, eq).trim();
  const path: (string | number)[] = [];
  for (const part of key.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match)
      throw new Error(
        `--set ${text}: "${part}" is not a key (letters, digits, _ and -, then [n] for a list item)`,
      );
    path.push(match[1] as string);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  let value: unknown;
  try {
    value = parseYaml(text.slice(eq + 1));
  } catch (error) {
    throw new Error(`--set ${text}: the value is not YAML (${(error as Error).message})`);
  }
  return { text, path, value: value ?? '' };
};

/** A copy of the configuration data with each override applied (missing objects and lists created). */
const applyAssignments = (data: unknown, assignments: readonly Assignment[]): unknown => {
  const root: Record<string, unknown> = structuredClone((data ?? {}) as Record<string, unknown>);
  for (const { path, value } of assignments) {
    let node: Record<string | number, unknown> = root;
    for (const [i, segment] of path.entries()) {
      if (i === path.length - 1) {
        node[segment] = value;
        break;
      }
      const next = node[segment];
      if (typeof next !== 'object' || next === null)
        node[segment] = typeof path[i + 1] === 'number' ? [] : {};
      node = node[segment] as Record<string | number, unknown>;
    }
  }
  return root;
};

/**
 * Splits one `--compare` argument into its assignments: whitespace separates them, except inside
 * quotes and brackets ("deploymentGuard.failedTasks.count=2 deploymentGuard.alarms.names=[a, b]").
 */
const splitAssignments = (text: string): string[] => {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (/\s/.test(c) && depth === 0) {
      if (current) parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current) parts.push(current);
  return parts;
};

/** The configuration with overrides, validated like the file (errors name the field). */
const configWith = (data: unknown, assignments: readonly Assignment[], source: string): Config => {
  const named =
    assignments.length > 0 ? `${source} with ${assignments.map((a) => a.text).join(' ')}` : source;
  return parseConfig(applyAssignments(data, assignments), named);
};

/**
 * The settings a run replays: the configuration with `--set` (named "as configured", or by its
 * overrides), then one scenario per `--compare`, each on top of the `--set` ones.
 */
const scenariosOf = (
  data: unknown,
  source: string,
  set: readonly string[],
  compare: readonly string[],
): Scenario[] => {
  const base = set.map(parseAssignment);
  const scenarios: Scenario[] = [
    {
      name: base.length > 0 ? base.map((a) => a.text).join(' ') : 'as configured',
      assignments: base,
      config: configWith(data, base, source),
    },
  ];
  for (const text of compare) {
    const assignments = splitAssignments(text).map(parseAssignment);
    if (assignments.length === 0) throw new Error('--compare: expected key=value');
    const all = [...base, ...assignments];
    scenarios.push({
      name: assignments.map((a) => a.text).join(' '),
      assignments: all,
      config: configWith(data, all, source),
    });
  }
  return scenarios;
};

export {
  type Assignment,
  applyAssignments,
  parseAssignment,
  type Scenario,
  scenariosOf,
  splitAssignments,
};
