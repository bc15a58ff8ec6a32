/**
 * EventBridge event-pattern matching and validation, written from the EventBridge User Guide pages
 * "Event patterns", "Content filtering", "Arrays" and "Null values and empty strings". Tests use it
 * to evaluate the packaged rules' patterns against real events; the local event bus routes with it.
 *
 * Semantics in brief:
 * - A leaf (an array in the pattern) matches when any of its values matches any value the event
 *   holds at that path; an event array contributes all of its scalar elements.
 * - A nested object matches an array of objects when one element matches the whole object
 *   (array-consistent, as EventBridge's engine, aws/event-ruler, does).
 * - Every named field must be present, except under `{"exists": false}`. Objects and empty arrays
 *   are not leaf values, so `{"exists": false}` matches them and `anything-but` does not.
 * - `{"exists": false}` inside an array of objects follows event-ruler's array consistency
 *   (ACFinder.moveFrom and NameState.getNameTransitions): the field must be absent from every
 *   element that the fields matched before it (in sorted key order) leave possible. With no such
 *   sibling, any element holding the field fails the match.
 * - `$or` is expanded into alternatives as event-ruler's JsonRuleCompiler does: each alternative
 *   holds every field of the pattern, and a field an alternative names again replaces the earlier
 *   one (the one written later in the pattern wins).
 * - Values are compared as parsed JSON: `300` and `300.0` are the same number once parsed.
 */

import { parseIp } from './core/ip-address.ts';
import { matchesSegments, parseWildcard } from './core/wildcard.ts';

/** An EventBridge event pattern as parsed from JSON. */
type EventPattern = Record<string, unknown>;

type Scalar = string | number | boolean | null;
type ValueTest = (value: Scalar) => boolean;
/** A leaf's test: the values at its path, and whether the field is absent where absence is judged. */
type LeafTest = (values: readonly Scalar[], absent: boolean) => boolean;
/**
 * Matches the event value at a pattern node. `scope` holds every value at this path that an
 * `exists: false` may look at (all array elements not yet pinned by a matched sibling);
 * undefined when only `value` counts.
 */
type NodeMatcher = (value: unknown, scope?: readonly unknown[]) => boolean;
/** A compiled field: `pins` when matching it fixes the array element (any non-absence test). */
interface FieldMatcher {
  key: string;
  pins: boolean;
  match: NodeMatcher;
}

/** One thing wrong with a pattern; `blocking` when the matcher cannot give it a meaning. */
interface Problem {
  path: string;
  message: string;
  blocking: boolean;
}

type Problems = Problem[];

const OPERATORS = new Set([
  'anything-but',
  'cidr',
  'equals-ignore-case',
  'exists',
  'numeric',
  'prefix',
  'suffix',
  'wildcard',
]);

// The User Guide's limit for numeric matching, on bounds and on event values alike.
const NUMERIC_LIMIT = 5e9;

const COMPARISONS: Record<string, (value: number, bound: number) => boolean> = {
  '=': (value, bound) => value === bound,
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

const never = (): boolean => false;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');

const fold = (text: string): string => text.toLowerCase();

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;

const keyPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const indexPath = (path: string, index: number): string => `${path}[${index}]`;

const invalid = (problems: Problems, path: string, message: string): undefined => {
  problems.push({ path, message, blocking: true });
  return undefined;
};

const rejected = (problems: Problems, path: string, message: string): void => {
  problems.push({ path, message, blocking: false });
};

const formatProblem = (problem: Problem): string => `${problem.path}: ${problem.message}`;

// --- Reading the event -------------------------------------------------------------------------

const childOf = (value: unknown, key: string): unknown =>
  isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;

/** The elements of an array with nested arrays flattened; an array that contains itself ends. */
const flatElements = (array: readonly unknown[], seen = new Set<unknown>()): unknown[] => {
  seen.add(array);
  return array.flatMap((element) => {
    if (!Array.isArray(element)) return [element];
    return seen.has(element) ? [] : flatElements(element, seen);
  });
};

/** The leaf values the event holds at a path: none for a missing field, an object or `[]`. */
const leafValues = (value: unknown): Scalar[] => {
  if (Array.isArray(value)) return flatElements(value).filter(isScalar);
  return isScalar(value) ? [value] : [];
};

const anyValue =
  (test: ValueTest): LeafTest =>
  (values) =>
    values.some(test);

/** The elements an array contributes, or the value itself. */
const spread = (value: unknown): unknown[] =>
  Array.isArray(value) ? flatElements(value) : [value];

// --- Wildcards ---------------------------------------------------------------------------------

const compileWildcards = (
  operand: unknown,
  path: string,
  problems: Problems,
  allowList: boolean,
): string[][] | undefined => {
  const list = allowList && isStringList(operand) ? operand : undefined;
  const texts = typeof operand === 'string' ? [operand] : list;
  if (!texts)
    return invalid(problems, path, `wildcard takes a string${allowList ? ' or strings' : ''}`);
  const parsed = texts.map(parseWildcard);
  const errors = parsed.flatMap((result) => ('error' in result ? [result.error] : []));
  if (errors.length > 0) return invalid(problems, path, `malformed wildcard: ${errors.join(', ')}`);
  return parsed.flatMap((result) => ('segments' in result ? [result.segments] : []));
};

const wildcardTest =
  (wildcards: readonly string[][]): ValueTest =>
  (value) =>
    typeof value === 'string' && wildcards.some((segments) => matchesSegments(segments, value));

// --- IP addresses ------------------------------------------------------------------------------

const compileCidr = (operand: unknown, path: string, problems: Problems): ValueTest | undefined => {
  const usage = 'cidr takes "address/prefix-length" with an IPv4 or IPv6 address';
  const [address = '', length = '', ...extra] =
    typeof operand === 'string' ? operand.split('/') : [];
  const network = parseIp(address);
  const prefix = /^\d{1,3}$/.test(length) ? Number(length) : Number.NaN;
  if (!network || extra.length > 0 || !(prefix <= network.bits)) {
    return invalid(problems, path, usage);
  }
  if (prefix === network.bits) {
    // aws/event-ruler (CIDR.java) refuses full-length masks; an exact string match does the job.
    rejected(problems, path, `EventBridge refuses a /${prefix} mask; match the address exactly`);
  }
  const hostMask = (1n << BigInt(network.bits - prefix)) - 1n;
  const low = network.value & ~hostMask;
  const high = low | hostMask;
  return (value) => {
    const ip = typeof value === 'string' ? parseIp(value) : undefined;
    return ip !== undefined && ip.bits === network.bits && ip.value >= low && ip.value <= high;
  };
};

// --- Operators ---------------------------------------------------------------------------------

type Affix = 'prefix' | 'suffix';

const hasAffix = (kind: Affix, value: string, affix: string): boolean =>
  kind === 'prefix' ? value.startsWith(affix) : value.endsWith(affix);

const compileAffix = (
  kind: Affix,
  operand: unknown,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  if (typeof operand === 'string') {
    return (value) => typeof value === 'string' && hasAffix(kind, value, operand);
  }
  const ignoringCase = childOf(operand, 'equals-ignore-case');
  if (!isRecord(operand) || Object.keys(operand).length !== 1 || typeof ignoringCase !== 'string') {
    return invalid(problems, path, `${kind} takes a string or {"equals-ignore-case": string}`);
  }
  const folded = fold(ignoringCase);
  return (value) => typeof value === 'string' && hasAffix(kind, fold(value), folded);
};

const compileEqualsIgnoreCase = (
  operand: unknown,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  if (typeof operand !== 'string')
    return invalid(problems, path, 'equals-ignore-case takes a string');
  const folded = fold(operand);
  return (value) => typeof value === 'string' && fold(value) === folded;
};

const isComparison = (operator: unknown): operator is string =>
  typeof operator === 'string' && Object.hasOwn(COMPARISONS, operator);

const compileNumeric = (
  operand: unknown,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  const usage = 'numeric takes [operator, number] or [">"|">=", number, "<"|"<=", number]';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    return invalid(problems, path, usage);
  }
  const [lowOp, low, highOp, high] = operand;
  const pairs =
    operand.length === 2
      ? [[lowOp, low]]
      : [
          [lowOp, low],
          [highOp, high],
        ];
  for (const [operator, bound] of pairs) {
    if (!isComparison(operator)) {
      return invalid(problems, path, `unknown numeric operator ${JSON.stringify(operator)}`);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      return invalid(problems, path, `numeric bound must be a number, got ${kindOf(bound)}`);
    }
    if (Math.abs(bound) > NUMERIC_LIMIT) {
      rejected(problems, path, `numeric bound ${bound} is outside -5e9..5e9`);
    }
  }
  if (operand.length === 4) {
    if (!['>', '>='].includes(String(lowOp)) || !['<', '<='].includes(String(highOp))) {
      return invalid(problems, path, `a numeric range is a lower then an upper bound: ${usage}`);
    }
    if (Number(low) >= Number(high)) {
      rejected(problems, path, `numeric range is empty: ${low} is not below ${high}`);
    }
  }
  const checks = pairs.map(([operator, bound]) => ({
    compare: COMPARISONS[String(operator)] ?? never,
    bound: Number(bound),
  }));
  return (value) =>
    typeof value === 'number' &&
    Math.abs(value) <= NUMERIC_LIMIT &&
    checks.every(({ compare, bound }) => compare(value, bound));
};

const compileExclusionList = (
  operand: readonly unknown[],
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  const allStrings = operand.every((item) => typeof item === 'string');
  const allNumbers = operand.every((item) => typeof item === 'number' && Number.isFinite(item));
  if (operand.length === 0 || !(allStrings || allNumbers)) {
    return invalid(problems, path, 'anything-but list must hold only strings or only numbers');
  }
  return (value) => !operand.includes(value);
};

const compileNegatedAffix = (
  kind: Affix,
  operand: unknown,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  if (isStringList(operand)) {
    // The User Guide allows one prefix here; the meaning of a list is still plain.
    rejected(problems, path, `anything-but takes a single ${kind}, not a list`);
    return (value) => typeof value === 'string' && operand.some((a) => hasAffix(kind, value, a));
  }
  if (typeof operand !== 'string') {
    return invalid(problems, path, `anything-but ${kind} takes a string`);
  }
  if (operand === '') rejected(problems, path, `anything-but needs a non-empty ${kind}`);
  return (value) => typeof value === 'string' && hasAffix(kind, value, operand);
};

/** What `anything-but: {operator: operand}` excludes, as a test for the excluded values. */
const compileExcluded = (
  operand: Record<string, unknown>,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  const [entry, ...extra] = Object.entries(operand);
  if (!entry || extra.length > 0) {
    return invalid(problems, path, 'anything-but takes one operator object');
  }
  const [operator, inner] = entry;
  const at = keyPath(path, operator);
  if (operator === 'prefix' || operator === 'suffix') {
    return compileNegatedAffix(operator, inner, at, problems);
  }
  if (operator === 'equals-ignore-case') {
    const texts = typeof inner === 'string' ? [inner] : isStringList(inner) ? inner : undefined;
    if (!texts) return invalid(problems, at, 'equals-ignore-case takes a string or strings');
    const folded = new Set(texts.map(fold));
    return (value) => typeof value === 'string' && folded.has(fold(value));
  }
  if (operator === 'wildcard') {
    const wildcards = compileWildcards(inner, at, problems, true);
    return wildcards && wildcardTest(wildcards);
  }
  return invalid(
    problems,
    at,
    `anything-but does not take "${operator}"; use prefix, suffix, equals-ignore-case or wildcard`,
  );
};

const compileAnythingBut = (
  operand: unknown,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) {
    return (value) => value !== operand;
  }
  if (Array.isArray(operand)) return compileExclusionList(operand, path, problems);
  if (!isRecord(operand)) {
    return invalid(problems, path, `anything-but takes a string, a number, a list or an operator`);
  }
  const excluded = compileExcluded(operand, path, problems);
  return excluded && ((value) => !excluded(value));
};

const compileOperator = (
  operator: string,
  operand: unknown,
  path: string,
  problems: Problems,
): ValueTest | undefined => {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return compileAffix(operator, operand, path, problems);
    case 'equals-ignore-case':
      return compileEqualsIgnoreCase(operand, path, problems);
    case 'wildcard': {
      const wildcards = compileWildcards(operand, path, problems, false);
      return wildcards && wildcardTest(wildcards);
    }
    case 'anything-but':
      return compileAnythingBut(operand, path, problems);
    case 'numeric':
      return compileNumeric(operand, path, problems);
    case 'cidr':
      return compileCidr(operand, path, problems);
    default:
      return invalid(problems, path, `unknown operator "${operator}"`);
  }
};

const compileExists = (operand: unknown, path: string, problems: Problems): LeafTest => {
  if (typeof operand !== 'boolean') {
    invalid(problems, path, 'exists takes true or false');
    return never;
  }
  return operand ? (values) => values.length > 0 : (_values, absent) => absent;
};

/** One element of a leaf array: a literal or a single-operator object. */
const compileMatch = (match: unknown, path: string, problems: Problems): LeafTest => {
  if (isScalar(match) && (typeof match !== 'number' || Number.isFinite(match))) {
    return anyValue((value) => value === match);
  }
  if (!isRecord(match)) {
    invalid(problems, path, `match values are strings, numbers, booleans, null or operators`);
    return never;
  }
  const [entry, ...extra] = Object.entries(match);
  if (!entry || extra.length > 0) {
    invalid(problems, path, 'an operator object holds exactly one operator');
    return never;
  }
  const [operator, operand] = entry;
  const at = keyPath(path, operator);
  if (operator === 'exists') return compileExists(operand, at, problems);
  const test = compileOperator(operator, operand, at, problems);
  return test ? anyValue(test) : never;
};

const isAbsence = (match: unknown): boolean => isRecord(match) && match.exists === false;

const compileLeaf = (matches: readonly unknown[], path: string, problems: Problems): LeafTest => {
  if (matches.length === 0) rejected(problems, path, 'empty arrays are not allowed');
  const tests = matches.map((match, index) =>
    compileMatch(match, indexPath(path, index), problems),
  );
  return (values, absent) => tests.some((test) => test(values, absent));
};

// --- Structure ---------------------------------------------------------------------------------

const compileOr = (branches: unknown, path: string, problems: Problems): NodeMatcher => {
  if (!Array.isArray(branches)) {
    invalid(problems, path, `$or takes an array of patterns, got ${kindOf(branches)}`);
    return never;
  }
  if (branches.length < 2) rejected(problems, path, '$or needs at least two alternatives');
  const matchers = branches.map((branch, index) => {
    const at = indexPath(path, index);
    if (isRecord(branch)) return compileObject(branch, at, problems, true);
    invalid(problems, at, `$or alternatives are pattern objects, got ${kindOf(branch)}`);
    return never;
  });
  return (value, scope) => matchers.some((matcher) => matcher(value, scope));
};

// Whether matching a sub-pattern fixes the array element it matched in (anything but absence).
const pinsElement = (sub: unknown): boolean =>
  Array.isArray(sub)
    ? sub.some((match) => !isAbsence(match))
    : isRecord(sub) && Object.values(sub).some(pinsElement);

const compileField = (
  key: string,
  sub: unknown,
  path: string,
  problems: Problems,
  insideOr: boolean,
): FieldMatcher | undefined => {
  if (key === '$or') {
    const alternatives = compileOr(sub, keyPath(path, key), problems);
    return { key, pins: pinsElement(sub), match: alternatives };
  }
  const at = keyPath(path, key);
  if (Array.isArray(sub)) {
    if (insideOr && OPERATORS.has(key)) {
      rejected(problems, at, `"${key}" is an operator name, not allowed as a field inside $or`);
    }
    const leaf = compileLeaf(sub, at, problems);
    return {
      key,
      pins: pinsElement(sub),
      match: (value, scope) =>
        leaf(
          leafValues(childOf(value, key)),
          (scope ?? [value]).every((element) => leafValues(childOf(element, key)).length === 0),
        ),
    };
  }
  if (isRecord(sub)) {
    const nested = compileObject(sub, at, problems, insideOr);
    return {
      key,
      pins: pinsElement(sub),
      match: (value, scope) =>
        nested(
          childOf(value, key),
          scope?.map((element) => childOf(element, key)),
        ),
    };
  }
  const hint = OPERATORS.has(key)
    ? `; "${key}" is an operator and goes inside a leaf array, e.g. "field": [{"${key}": ...}]`
    : '';
  invalid(
    problems,
    at,
    `must be an array of match values or a nested object, got ${kindOf(sub)}${hint}`,
  );
  return undefined;
};

const compileObject = (
  pattern: Record<string, unknown>,
  path: string,
  problems: Problems,
  insideOr: boolean,
): NodeMatcher => {
  const entries = Object.entries(pattern);
  if (entries.length === 0) rejected(problems, path, 'empty objects are not allowed');
  const compiled = entries.map(([key, sub]) => compileField(key, sub, path, problems, insideOr));
  if (compiled.includes(undefined)) return never;
  // event-ruler walks a rule's fields in sorted order; a matched field pins the array element.
  const fields = (compiled as FieldMatcher[]).sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const matchOne = (value: unknown, scope: readonly unknown[] | undefined): boolean => {
    let open = scope;
    for (const field of fields) {
      if (!field.match(value, open)) return false;
      if (field.pins) open = undefined;
    }
    return true;
  };
  return (value, scope) => {
    // Entering an array opens all of its elements (and their peers' when nothing pinned them).
    const open = (scope ?? [value]).flatMap(spread);
    if (!Array.isArray(value)) return matchOne(value, open);
    const elements = flatElements(value);
    return elements.length === 0
      ? matchOne(undefined, open)
      : elements.some((element) => matchOne(element, open));
  };
};

// --- $or alternatives --------------------------------------------------------------------------

type Alternative = Map<string, { path: string[]; matches: unknown[] }>;

/** The alternatives a pattern with `$or` stands for, as event-ruler's JsonRuleCompiler builds them. */
const alternativesOf = (
  pattern: Record<string, unknown>,
  path: string[],
  current: Alternative[],
): Alternative[] => {
  let out = current;
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(sub)) {
      const base = out.length > 0 ? out : [new Map()];
      out = sub.flatMap((branch) =>
        alternativesOf(
          isRecord(branch) ? branch : {},
          path,
          base.map((alternative) => new Map(alternative)),
        ),
      );
    } else if (Array.isArray(sub)) {
      if (out.length === 0) out = [new Map()];
      const at = [...path, key];
      for (const alternative of out)
        alternative.set(JSON.stringify(at), { path: at, matches: sub });
    } else if (isRecord(sub)) {
      out = alternativesOf(sub, [...path, key], out);
    }
  }
  return out;
};

/** A pattern object holding one alternative's fields. */
const patternOf = (alternative: Alternative): Record<string, unknown> => {
  const root: Record<string, unknown> = {};
  for (const { path, matches } of alternative.values()) {
    let node = root;
    for (const key of path.slice(0, -1)) {
      const next = isRecord(node[key]) ? (node[key] as Record<string, unknown>) : {};
      node[key] = next;
      node = next;
    }
    node[path.at(-1) ?? ''] = matches;
  }
  return root;
};

const hasOr = (value: unknown): boolean =>
  isRecord(value) && Object.entries(value).some(([key, sub]) => key === '$or' || hasOr(sub));

const compile = (pattern: unknown): { matcher: NodeMatcher; problems: Problems } => {
  const problems: Problems = [];
  if (!isRecord(pattern)) {
    invalid(problems, '$', `an event pattern is a JSON object, got ${kindOf(pattern)}`);
    return { matcher: never, problems };
  }
  const whole = compileObject(pattern, '$', problems, false);
  if (!hasOr(pattern) || problems.some((problem) => problem.blocking))
    return { matcher: whole, problems };
  const alternatives = alternativesOf(pattern, [], []).map((alternative) =>
    compileObject(patternOf(alternative), '$', [], false),
  );
  return { matcher: (event) => alternatives.some((matcher) => matcher(event)), problems };
};

// --- API ---------------------------------------------------------------------------------------

/**
 * Compiles a pattern once into a total predicate over events; throws naming the JSON path when
 * the pattern cannot be given a meaning (problems that only EventBridge would refuse, such as an
 * empty object, are left to `validatePattern`).
 */
const compilePattern = (pattern: EventPattern): ((event: unknown) => boolean) => {
  const { matcher, problems } = compile(pattern);
  const blocking = problems.filter((problem) => problem.blocking);
  if (blocking.length > 0) {
    throw new Error(`Invalid event pattern: ${blocking.map(formatProblem).join('; ')}`);
  }
  return (event) => {
    if (!isRecord(event)) return false;
    try {
      return matcher(event);
    } catch {
      // Events are untyped input: a throwing getter or proxy must not escape the matcher.
      return false;
    }
  };
};

/** Whether an event matches an EventBridge pattern; false for any non-object event. */
const matchesPattern = (pattern: EventPattern, event: unknown): boolean =>
  compilePattern(pattern)(event);

/** Every problem EventBridge would reject the pattern for, as `<json path>: <message>`; [] if valid. */
const validatePattern = (pattern: unknown): string[] =>
  compile(pattern).problems.map(formatProblem);

export type { EventPattern };
export { compilePattern, matchesPattern, validatePattern };
