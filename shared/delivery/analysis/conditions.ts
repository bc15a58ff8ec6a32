/**
 * Success and failure conditions of an analysis, Argo Rollouts' `successCondition` and
 * `failureCondition` reduced to what a metric comparison needs: comparisons of `result` (green's
 * value), `baseline` (blue's over the same window), their difference or their ratio with a number,
 * joined by `and` and `or` (`and` binds tighter). Parsed once at configuration time, without
 * regular expressions that backtrack: a condition is split on its keywords and each comparison
 * read token by token.
 */

type Term = 'result' | 'baseline' | 'result - baseline' | 'result / baseline';
type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

interface Comparison {
  term: Term;
  op: Operator;
  value: number;
}

/** A parsed condition: alternatives (or) of conjunctions (and) of comparisons. */
interface Condition {
  text: string;
  anyOf: Comparison[][];
  usesBaseline: boolean;
}

const OPERATORS: readonly Operator[] = ['<=', '>=', '==', '!=', '<', '>'];
const TERMS: readonly Term[] = ['result - baseline', 'result / baseline', 'result', 'baseline'];
const NUMBER = /^-?\d+(\.\d+)?$/;
const MAX_COMPARISONS = 8;

const parseComparison = (text: string): Comparison | string => {
  const words = text.trim().split(/\s+/);
  const op = OPERATORS.find((o) => words.includes(o));
  if (!op) return `"${text.trim()}" has no comparison (${OPERATORS.join(' ')})`;
  const at = words.indexOf(op);
  const term = words.slice(0, at).join(' ') as Term;
  const value = words.slice(at + 1).join(' ');
  if (!TERMS.includes(term)) return `"${term}" is not one of ${TERMS.join(', ')}`;
  if (!NUMBER.test(value)) return `"${value}" is not a number`;
  return { term, op, value: Number(value) };
};

/** Parses a condition, or says what is wrong with it. */
const parseCondition = (text: string): Condition | string => {
  if (text.length > 512) return 'is longer than 512 characters';
  const anyOf: Comparison[][] = [];
  let count = 0;
  for (const alternative of text.split(' or ')) {
    const all: Comparison[] = [];
    for (const part of alternative.split(' and ')) {
      const comparison = parseComparison(part);
      if (typeof comparison === 'string') return comparison;
      all.push(comparison);
      count += 1;
    }
    anyOf.push(all);
  }
  if (count > MAX_COMPARISONS) return `has more than ${MAX_COMPARISONS} comparisons`;
  const usesBaseline = anyOf.flat().some((c) => c.term !== 'result');
  return { text: text.trim(), anyOf, usesBaseline };
};

const termValue = (term: Term, result: number, baseline: number | undefined) => {
  if (term === 'result') return result;
  if (baseline === undefined) return undefined;
  if (term === 'baseline') return baseline;
  if (term === 'result - baseline') return result - baseline;
  // A ratio against a zero baseline is infinite when green has any value, and unknown at zero.
  if (baseline === 0) return result === 0 ? undefined : Number.POSITIVE_INFINITY;
  return result / baseline;
};

// Metric values are floats: 0.3 / 0.2 is 1.4999999999999998. Values this close are equal.
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

const compare = (left: number, op: Operator, right: number): boolean => {
  const equal = close(left, right);
  switch (op) {
    case '<':
      return left < right && !equal;
    case '<=':
      return left < right || equal;
    case '>':
      return left > right && !equal;
    case '>=':
      return left > right || equal;
    case '==':
      return equal;
    case '!=':
      return !equal;
  }
};

/** Three-valued: a conjunction with a false comparison is false even if another is unknown. */
const allOf = (all: readonly Comparison[], result: number, baseline: number | undefined) => {
  let unknown = false;
  for (const c of all) {
    const left = termValue(c.term, result, baseline);
    if (left === undefined) unknown = true;
    else if (!compare(left, c.op, c.value)) return false;
  }
  return unknown ? undefined : true;
};

/** Whether the condition holds; undefined when it needs a baseline that is not known. */
const holds = (
  condition: Condition,
  result: number,
  baseline: number | undefined,
): boolean | undefined => {
  let unknown = false;
  for (const all of condition.anyOf) {
    const value = allOf(all, result, baseline);
    if (value === true) return true;
    if (value === undefined) unknown = true;
  }
  return unknown ? undefined : false;
};

/** Parses a condition known to be valid (the configuration schema checked it). */
const conditionOf = (text: string): Condition => {
  const parsed = parseCondition(text);
  if (typeof parsed === 'string') throw new Error(`invalid condition "${text}": ${parsed}`);
  return parsed;
};

export { type Condition, conditionOf, holds, parseCondition };
