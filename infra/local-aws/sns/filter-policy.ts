import { isObject } from '../core/input.ts';
import { compileRule, fail, type Rule, type Scalar } from './filter-rules.ts';

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

export { FilterPolicyError, type Scalar } from './filter-rules.ts';

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
