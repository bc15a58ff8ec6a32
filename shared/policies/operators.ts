import { RE2JS } from 're2js';
import { compileGlob } from './glob.ts';
import { jsonEqual } from './json-equal.ts';

/** The comparison operators of value filters (Cloud Custodian's names). */
const OPERATOR_NAMES = [
  'eq',
  'ne',
  'in',
  'not-in',
  'regex',
  'glob',
  'gt',
  'lt',
  'present',
  'absent',
] as const;
type OperatorName = (typeof OPERATOR_NAMES)[number];

/** Operators that compare with nothing; the others need a `value`. */
const UNARY_OPERATORS: ReadonlySet<OperatorName> = new Set(['present', 'absent']);

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

// ECS writes some numbers as strings (task cpu "256"), so a number equals its decimal string.
const equal = (actual: unknown, expected: unknown): boolean => {
  if (jsonEqual(actual, expected)) return true;
  if (typeof actual !== 'number' && typeof expected !== 'number') return false;
  const a = toNumber(actual);
  return a !== undefined && a === toNumber(expected);
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;

const isMissing = (value: unknown): boolean => value === undefined || value === null;

/**
 * A user's regular expression, matched against the whole value by RE2 (re2js): linear in the
 * value whatever the pattern, so a filter such as `(a+)+$` cannot stall the enforcer on a large
 * field. RE2 has no backreferences or lookaround; configuration validation says so.
 */
const wholeMatch = (source: string): { test(value: string): boolean } => {
  const pattern = RE2JS.compile(source, RE2JS.DOTALL);
  return { test: (value) => pattern.matches(value) };
};

/** An operand prepared once, when the policy is loaded: a list, a pattern or a number. */
type Operand = unknown;

/**
 * Each operator as a pure predicate over the value found and the prepared operand. A missing
 * value matches only `absent` (`present`/`absent` are the way to test for existence).
 */
const OPERATORS: Record<OperatorName, (actual: unknown, operand: Operand) => boolean> = {
  eq: (actual, operand) => !isMissing(actual) && equal(actual, operand),
  ne: (actual, operand) => !isMissing(actual) && !equal(actual, operand),
  in: (actual, operand) =>
    !isMissing(actual) && (operand as readonly unknown[]).some((item) => equal(actual, item)),
  'not-in': (actual, operand) =>
    !isMissing(actual) && !(operand as readonly unknown[]).some((item) => equal(actual, item)),
  regex: (actual, operand) => {
    const value = text(actual);
    return value !== undefined && (operand as ReturnType<typeof wholeMatch>).test(value);
  },
  glob: (actual, operand) => {
    const value = text(actual);
    return value !== undefined && (operand as ReturnType<typeof compileGlob>).test(value);
  },
  gt: (actual, operand) => {
    const value = toNumber(actual);
    return value !== undefined && value > (operand as number);
  },
  lt: (actual, operand) => {
    const value = toNumber(actual);
    return value !== undefined && value < (operand as number);
  },
  present: (actual) => !isMissing(actual),
  absent: (actual) => isMissing(actual),
};

/** Prepares a filter's `value` for its operator (compiles patterns); throws on a bad operand. */
const prepareOperand = (op: OperatorName, value: unknown): Operand => {
  if (op === 'regex') return wholeMatch(String(value));
  if (op === 'glob') return compileGlob(String(value));
  if (op === 'gt' || op === 'lt') return toNumber(value);
  return value;
};

/** Why a `value` cannot serve an operator, or undefined when it can (checked at load). */
const operandProblem = (op: OperatorName, value: unknown): string | undefined => {
  if (UNARY_OPERATORS.has(op)) {
    return value === undefined ? undefined : `"${op}" takes no value`;
  }
  if (value === undefined) return `"${op}" needs a value`;
  if ((op === 'in' || op === 'not-in') && !Array.isArray(value)) return `"${op}" needs a list`;
  if ((op === 'gt' || op === 'lt') && toNumber(value) === undefined) {
    return `"${op}" needs a number`;
  }
  if (op === 'regex' || op === 'glob') {
    if (typeof value !== 'string') return `"${op}" needs a string`;
    if (op === 'regex') {
      try {
        wholeMatch(value);
      } catch (error) {
        return `not a valid RE2 regular expression (${(error as Error).message}); RE2 matches in linear time and has no backreferences or lookaround`;
      }
    }
  }
  return undefined;
};

export {
  OPERATOR_NAMES,
  OPERATORS,
  type OperatorName,
  operandProblem,
  prepareOperand,
  UNARY_OPERATORS,
};
