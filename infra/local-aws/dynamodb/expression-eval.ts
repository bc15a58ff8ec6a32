import {
  type AttributeValue,
  addNumbers,
  checkValue,
  compareValues,
  type Item,
  typeOf,
  validation,
  valuesEqual,
} from './attribute-values.ts';
import type { Condition, Operand, Path } from './expression-parser.ts';

/** Reads the value at `path`, or undefined when any step is missing. */
export const getPath = (item: Item, path: Path): AttributeValue | undefined => {
  let current: AttributeValue | undefined;
  for (const [i, step] of path.entries()) {
    if (i === 0) {
      current = step.kind === 'name' ? item[step.name] : undefined;
    } else if (current !== undefined && step.kind === 'name' && 'M' in current) {
      current = current.M[step.name];
    } else if (current !== undefined && step.kind === 'index' && 'L' in current) {
      current = current.L[step.index];
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
};

/** Resolves an operand against `item` and the request's placeholder values. */
export const operandValue = (
  item: Item,
  operand: Operand,
  values: Record<string, unknown>,
): AttributeValue | undefined => {
  switch (operand.kind) {
    case 'path':
      return getPath(item, operand.path);
    case 'value':
      return checkValue(values[operand.ref]);
    case 'size': {
      const v = getPath(item, operand.path);
      if (v === undefined) return undefined;
      if ('S' in v) return { N: String(v.S.length) };
      if ('B' in v) return { N: String(Buffer.from(v.B, 'base64').length) };
      const inner = Object.values(v)[0];
      if (Array.isArray(inner)) return { N: String(inner.length) };
      if ('M' in v) return { N: String(Object.keys(v.M).length) };
      return undefined;
    }
    case 'if_not_exists':
      return getPath(item, operand.path) ?? operandValue(item, operand.fallback, values);
    case 'list_append': {
      const a = operandValue(item, operand.a, values);
      const b = operandValue(item, operand.b, values);
      if (a === undefined || b === undefined) throw missingOperand();
      if (!('L' in a) || !('L' in b)) throw wrongType();
      return { L: [...a.L, ...b.L] };
    }
    case 'plus':
    case 'minus': {
      const a = operandValue(item, operand.a, values);
      const b = operandValue(item, operand.b, values);
      if (a === undefined || b === undefined) throw missingOperand();
      if (!('N' in a) || !('N' in b)) throw wrongType();
      return { N: addNumbers(a.N, b.N, operand.kind === 'minus') };
    }
  }
};

/** The error for an update operand that refers to a missing attribute. */
export const missingOperand = () =>
  validation('The provided expression refers to an attribute that does not exist in the item');
/** The error for an update operand of the wrong type. */
export const wrongType = () =>
  validation('An operand in the update expression has an incorrect data type');

const compare = (
  op: string,
  a: AttributeValue | undefined,
  b: AttributeValue | undefined,
): boolean => {
  if (a === undefined || b === undefined) return op === '<>';
  if (op === '=') return valuesEqual(a, b);
  if (op === '<>') return !valuesEqual(a, b);
  const order = compareValues(a, b);
  if (order === undefined) return false;
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
};

const contains = (
  haystack: AttributeValue | undefined,
  needle: AttributeValue | undefined,
): boolean => {
  if (haystack === undefined || needle === undefined) return false;
  if ('S' in haystack) return 'S' in needle && haystack.S.includes(needle.S);
  if ('SS' in haystack) return 'S' in needle && haystack.SS.includes(needle.S);
  if ('NS' in haystack)
    return 'N' in needle && haystack.NS.some((n) => valuesEqual({ N: n }, needle));
  if ('BS' in haystack) return 'B' in needle && haystack.BS.includes(needle.B);
  if ('L' in haystack) return haystack.L.some((e) => valuesEqual(e, needle));
  return false;
};

const callFunction = (
  item: Item,
  name: string,
  args: Operand[],
  values: Record<string, unknown>,
): boolean => {
  const [first, second] = args;
  const pathOf = (op: Operand | undefined): Path => {
    if (op?.kind !== 'path')
      throw validation(
        `Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${op?.kind ?? 'none'}`,
      );
    return op.path;
  };
  switch (name) {
    case 'attribute_exists':
      return getPath(item, pathOf(first)) !== undefined;
    case 'attribute_not_exists':
      return getPath(item, pathOf(first)) === undefined;
    case 'attribute_type': {
      const v = getPath(item, pathOf(first));
      const wanted = second === undefined ? undefined : operandValue(item, second, values);
      return v !== undefined && wanted !== undefined && 'S' in wanted && typeOf(v) === wanted.S;
    }
    case 'begins_with': {
      const v = getPath(item, pathOf(first));
      const prefix = second === undefined ? undefined : operandValue(item, second, values);
      if (v === undefined || prefix === undefined) return false;
      if ('S' in v && 'S' in prefix) return v.S.startsWith(prefix.S);
      if ('B' in v && 'B' in prefix)
        return Buffer.from(v.B, 'base64')
          .subarray(0, Buffer.from(prefix.B, 'base64').length)
          .equals(Buffer.from(prefix.B, 'base64'));
      return false;
    }
    default:
      return contains(
        operandValue(item, first ?? { kind: 'value', ref: '' }, values),
        second === undefined ? undefined : operandValue(item, second, values),
      );
  }
};

/** Evaluates a condition against an item (an absent item is `{}`). */
export const evaluate = (
  item: Item,
  condition: Condition,
  values: Record<string, unknown>,
): boolean => {
  const v = (op: Operand): AttributeValue | undefined => operandValue(item, op, values);
  switch (condition.kind) {
    case 'and':
      return evaluate(item, condition.a, values) && evaluate(item, condition.b, values);
    case 'or':
      return evaluate(item, condition.a, values) || evaluate(item, condition.b, values);
    case 'not':
      return !evaluate(item, condition.a, values);
    case 'compare':
      return compare(condition.op, v(condition.a), v(condition.b));
    case 'between':
      return (
        compare('>=', v(condition.a), v(condition.low)) &&
        compare('<=', v(condition.a), v(condition.high))
      );
    case 'in': {
      const a = v(condition.a);
      return condition.list.some((op) => compare('=', a, v(op)));
    }
    case 'function':
      return callFunction(item, condition.name, condition.args, values);
  }
};

/** Copies only the projected paths of an item. */
export const project = (item: Item, paths: Path[]): Item => {
  const out: Item = {};
  for (const path of paths) {
    const value = getPath(item, path);
    const head = path[0];
    if (value === undefined || head?.kind !== 'name') continue;
    if (path.length === 1) out[head.name] = structuredClone(value);
    else {
      // Nested projections keep the enclosing structure, as DynamoDB returns them.
      const top = item[head.name];
      if (top !== undefined && out[head.name] === undefined) out[head.name] = structuredClone(top);
    }
  }
  return out;
};
