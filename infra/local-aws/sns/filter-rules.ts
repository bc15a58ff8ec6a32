import { isObject } from '../core/input.ts';
import { cidrRange, parseIp } from '../core/ip-address.ts';
import { matchesSegments, parseWildcard } from '../core/wildcard.ts';

/**
 * The match expressions of an SNS filter policy (string-value-matching.html,
 * numeric-value-matching.html, attribute-key-matching.html): each compiles to a test of one value,
 * or to a key test for `exists`.
 */

export type Scalar = string | number | boolean | null;

/** A policy that cannot be set; the message is SNS's, without the API's prefix. */
export class FilterPolicyError extends Error {}

export type ValueTest = (value: Scalar) => boolean;
export type Rule = { kind: 'exists'; exists: boolean } | { kind: 'value'; test: ValueTest };

const MAX_WILDCARDS_PER_PATTERN = 3;
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

export const fail = (message: string): never => {
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

export const compileRule = (rule: unknown): Rule => {
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
