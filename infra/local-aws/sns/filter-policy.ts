import { isObject } from '../core/input.ts';
import { cidrRange, parseIp } from '../core/ip-address.ts';
import { matchesSegments, parseWildcard } from '../core/wildcard.ts';

/**
 * SNS subscription filter policies, compiled and checked as the SNS Developer Guide documents them
 * (message-filtering.html, sns-message-filtering-scope.html, string-value-matching.html,
 * numeric-value-matching.html, attribute-key-matching.html, and-or-logic.html,
 * subscription-filter-policy-constraints.html). Error texts follow the ones SNS answers (as
 * recorded against AWS by LocalStack's snapshot tests), without the API's prefix, which the caller
 * adds ("Invalid parameter: FilterPolicy: ..." or "Invalid parameter: Attributes Reason: ...").
 */

/** Where a policy looks: message attributes (the default) or the message body read as JSON. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export type Scalar = string | number | boolean | null;

/** A policy that cannot be set; the message is SNS's, without the API's prefix. */
export class FilterPolicyError extends Error {}

type ValueTest = (value: Scalar) => boolean;
type Rule = { kind: 'exists'; exists: boolean } | { kind: 'value'; test: ValueTest };
interface Leaf {
  path: string;
  depth: number;
  rules: Rule[];
  /** The rules as written, for the wildcard complexity count. */
  raw: unknown[];
}
/** One way to satisfy the policy: every leaf must match (`$or` makes several). */
type Alternative = Leaf[];

/** A policy ready to match messages. */
export interface CompiledFilterPolicy {
  scope: FilterPolicyScope;
  alternatives: Alternative[];
}

const MAX_POLICY_BYTES = 256 * 1024;
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const MAX_WILDCARD_COMPLEXITY = 100;
const MAX_WILDCARDS_PER_PATTERN = 3;
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

const fail = (message: string): never => {
  throw new FilterPolicyError(message);
};

// "Numeric matching: ... with five digits of accuracy after the decimal point."
const fixed = (value: number): number => Math.round(value * 1e5);

const isScalarRule = (rule: unknown): rule is Scalar =>
  rule === null || ['string', 'number', 'boolean'].includes(typeof rule);

const stringOperand = (operator: string, operand: unknown): string =>
  typeof operand === 'string' ? operand : fail(`${operator} match pattern must be a string`);

const compileWildcard = (operand: unknown): ValueTest => {
  const pattern = stringOperand('wildcard', operand);
  const parsed = parseWildcard(pattern);
  if ('error' in parsed) return fail(`Invalid wildcard pattern: ${parsed.error}`);
  if (parsed.segments.length - 1 > MAX_WILDCARDS_PER_PATTERN)
    fail('Rule is too complex: a wildcard pattern has more than 3 wildcard characters');
  return (value) => typeof value === 'string' && matchesSegments(parsed.segments, value);
};

const compileCidr = (operand: unknown): ValueTest => {
  const range = cidrRange(stringOperand('prefix', operand));
  if (range === undefined) return fail(`Malformed CIDR: ${String(operand)}`);
  return (value) => {
    const ip = typeof value === 'string' ? parseIp(value) : undefined;
    return (
      ip !== undefined && ip.bits === range.bits && ip.value >= range.low && ip.value <= range.high
    );
  };
};

const numericBound = (operator: string, value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value)
    ? value
    : fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);

const compileNumeric = (operand: unknown): ValueTest => {
  if (!Array.isArray(operand) || operand.length === 0)
    return fail('Invalid member in numeric match: ]');
  const [op1, v1, op2, v2, ...extra] = operand as unknown[];
  if (typeof op1 !== 'string') return fail(`Invalid member in numeric match: ${String(op1)}`);
  if (!NUMERIC_OPERATORS.has(op1)) return fail(`Unrecognized numeric range operator: ${op1}`);
  const low = numericBound(op1, v1);
  const checks: [string, number][] = [[op1, low]];
  if (operand.length > 2) {
    if (op1 !== '>' && op1 !== '>=') fail('Too many elements in numeric expression');
    if (typeof op2 !== 'string') fail(`Bad value in numeric range: ${String(op2)}`);
    if (op2 !== '<' && op2 !== '<=') fail(`Bad numeric range operator: ${String(op2)}`);
    const high = numericBound(String(op2), v2);
    if (high <= low) fail('Bottom must be less than top');
    if (extra.length > 0) fail('Too many terms in numeric range expression');
    checks.push([String(op2), high]);
  }
  return (value) => {
    if (typeof value !== 'number' || Math.abs(value) > 1e9) return false;
    const v = fixed(value);
    return checks.every(([op, bound]) => {
      const b = fixed(bound);
      return op === '='
        ? v === b
        : op === '<'
          ? v < b
          : op === '<='
            ? v <= b
            : op === '>'
              ? v > b
              : v >= b;
    });
  };
};

const sameScalar = (rule: Scalar, value: Scalar): boolean =>
  typeof rule === 'number'
    ? typeof value === 'number' && fixed(rule) === fixed(value)
    : rule === value;

const compileAnythingBut = (operand: unknown): ValueTest => {
  if (isObject(operand)) {
    const [entry, ...extra] = Object.entries(operand);
    if (entry === undefined || extra.length > 0)
      return fail('Only one key allowed in match expression');
    const [operator, inner] = entry;
    if (operator !== 'prefix' && operator !== 'suffix')
      return fail(`Unsupported anything-but pattern: ${operator}`);
    const affix = stringOperand(operator, inner);
    return (value) =>
      typeof value === 'string' &&
      !(operator === 'prefix' ? value.startsWith(affix) : value.endsWith(affix));
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  if (excluded.length === 0) fail('Empty arrays are not allowed');
  if (!excluded.every((v) => typeof v === 'string' || typeof v === 'number'))
    fail('Inside anything but list, start|null|boolean is not supported.');
  return (value) => !excluded.some((rule) => sameScalar(rule as Scalar, value));
};

const compileRule = (rule: unknown): Rule => {
  if (isScalarRule(rule)) return { kind: 'value', test: (value) => sameScalar(rule, value) };
  if (!isObject(rule)) return fail('Match value must be String, number, true, false, or null');
  const [entry, ...extra] = Object.entries(rule);
  if (entry === undefined || extra.length > 0)
    return fail('Only one key allowed in match expression');
  const [operator, operand] = entry;
  const test = (t: ValueTest): Rule => ({ kind: 'value', test: t });
  switch (operator) {
    case 'exists':
      return typeof operand === 'boolean'
        ? { kind: 'exists', exists: operand }
        : fail('exists match pattern must be either true or false.');
    case 'prefix': {
      const prefix = stringOperand(operator, operand);
      return test((v) => typeof v === 'string' && v.startsWith(prefix));
    }
    case 'suffix': {
      const suffix = stringOperand(operator, operand);
      return test((v) => typeof v === 'string' && v.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const folded = stringOperand(operator, operand).toLowerCase();
      return test((v) => typeof v === 'string' && v.toLowerCase() === folded);
    }
    case 'anything-but':
      return test(compileAnythingBut(operand));
    case 'numeric':
      return test(compileNumeric(operand));
    case 'cidr':
      return test(compileCidr(operand));
    case 'wildcard':
      return test(compileWildcard(operand));
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
};

// "$or": each alternative holds the fields beside it plus one branch's fields (and-or-logic.html).
const expand = (
  node: Record<string, unknown>,
  scope: FilterPolicyScope,
  prefix = '',
  depth = 1,
): Alternative[] => {
  let alternatives: Alternative[] = [[]];
  const cross = (branches: Alternative[]): void => {
    alternatives = alternatives.flatMap((a) => branches.map((b) => [...a, ...b]));
  };
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject))
        fail('$or must be an array of at least two objects');
      cross((value as Record<string, unknown>[]).flatMap((v) => expand(v, scope, prefix, depth)));
      continue;
    }
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isObject(value)) {
      if (scope === 'MessageAttributes')
        fail('Filter policy scope MessageAttributes does not support nested filter policy');
      cross(expand(value, scope, path, depth + 1));
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail('Empty arrays are not allowed');
      const leaf: Leaf = { path, depth, rules: value.map(compileRule), raw: value };
      alternatives = alternatives.map((a) => [...a, leaf]);
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
  return alternatives;
};

const wildcardPoints = (rule: unknown): number => {
  if (!isObject(rule)) return 0;
  if (typeof rule.wildcard === 'string') {
    const stars = (rule.wildcard.replace(/\\[*\\]/g, '').match(/\*/g) ?? []).length;
    return stars <= 1 ? stars : 3 * stars;
  }
  return 'anything-but' in rule ? 1 : 0;
};

const checkLimits = (alternatives: Alternative[], scope: FilterPolicyScope): void => {
  const leaves = new Map<string, Leaf>();
  for (const alternative of alternatives)
    for (const leaf of alternative) leaves.set(leaf.path, leaf);
  if (leaves.size > MAX_KEYS) fail('Filter policy can not have more than 5 keys');
  // "multiply the number of values in each array" (and, for payload filtering, each leaf's nesting
  // level); "$or" adds the combinations of its alternatives.
  const combinations = alternatives.reduce(
    (sum, alternative) =>
      sum +
      alternative.reduce(
        (product, leaf) => product * leaf.rules.length * (scope === 'MessageBody' ? leaf.depth : 1),
        1,
      ),
    0,
  );
  if (combinations > MAX_COMBINATIONS) fail('Filter policy is too complex');
  let complexity = 0;
  for (const leaf of leaves.values()) {
    const points = leaf.raw.reduce<number>((sum, rule) => sum + wildcardPoints(rule), 0);
    if (points > 0) complexity += points * leaf.raw.length;
  }
  if (complexity > MAX_WILDCARD_COMPLEXITY)
    fail(
      'Rule is too complex, try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    );
};

/** Parses and checks a FilterPolicy for a scope; throws FilterPolicyError when SNS refuses it. */
export const compileFilterPolicy = (
  text: string,
  scope: FilterPolicyScope,
): CompiledFilterPolicy => {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    fail('Filter policy is too large: the limit is 256 KB');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('failed to parse JSON.');
  }
  if (!isObject(parsed)) return fail('Filter policy must be a JSON object');
  const alternatives = expand(parsed, scope);
  checkLimits(alternatives, scope);
  return { scope, alternatives };
};

/** What a policy sees of one message: values per key, and how many keys the message has. */
export interface FilterView {
  values: ReadonlyMap<string, readonly Scalar[]>;
  keyCount: number;
}

const leafMatches = (leaf: Leaf, view: FilterView, scope: FilterPolicyScope): boolean => {
  const values = view.values.get(leaf.path) ?? [];
  return leaf.rules.some((rule) => {
    if (rule.kind === 'value') return values.some(rule.test);
    // attribute-key-matching.html: `"exists": true` needs "a non-null and non-empty value";
    // `"exists": false` "only matches if at least one attribute is present".
    if (rule.exists) return values.some((v) => v !== null && v !== '');
    return values.length === 0 && (scope === 'MessageBody' || view.keyCount > 0);
  });
};

/** Whether a message (as a FilterView) passes the policy. */
export const matchesFilterPolicy = (policy: CompiledFilterPolicy, view: FilterView): boolean =>
  policy.alternatives.some((alternative) =>
    alternative.every((leaf) => leafMatches(leaf, view, policy.scope)),
  );
