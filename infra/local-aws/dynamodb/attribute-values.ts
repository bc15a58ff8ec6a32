import { errorOf } from '../core/aws-error.ts';
import { isObject } from '../core/input.ts';

/** A DynamoDB AttributeValue as it travels in JSON (binary as base64). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

/** An item: attribute name → value. */
export type Item = Record<string, AttributeValue>;

/** The DynamoDB validation error. */
export const validation = errorOf('ValidationException');

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;

/** The type tag of a value (S, N, …). */
export const typeOf = (value: AttributeValue): string => Object.keys(value)[0] ?? '';

interface Decimal {
  digits: bigint;
  scale: number;
}

const parseDecimal = (text: string): Decimal => {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (match === null || `${match[2] ?? ''}${match[3] ?? ''}` === '') {
    throw validation(`The parameter cannot be converted to a numeric value: ${text}`);
  }
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? 0);
  let digits = BigInt(`${match[2] || '0'}${fraction}`);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: match[1] === '-' ? -digits : digits, scale };
};

const align = (a: Decimal, b: Decimal): [bigint, bigint, number] => {
  const scale = Math.max(a.scale, b.scale);
  return [
    a.digits * 10n ** BigInt(scale - a.scale),
    b.digits * 10n ** BigInt(scale - b.scale),
    scale,
  ];
};

const formatDecimal = (digits: bigint, scale: number): string => {
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  if (scale > 0) text = `${text.slice(0, -scale)}.${text.slice(-scale)}`.replace(/\.?0+$/, '');
  return text === '0' ? '0' : `${negative ? '-' : ''}${text}`;
};

/** Canonical text of a number ("1.50" → "1.5", "-0" → "0"), as DynamoDB stores it. */
export const normalizeNumber = (text: string): string => {
  const d = parseDecimal(text);
  return formatDecimal(d.digits, d.scale);
};

/** Exact decimal a + b (or a − b). */
export const addNumbers = (a: string, b: string, subtract = false): string => {
  const [x, y, scale] = align(parseDecimal(a), parseDecimal(b));
  return formatDecimal(subtract ? x - y : x + y, scale);
};

/** Exact numeric comparison (−1, 0, 1). */
export const compareNumbers = (a: string, b: string): number => {
  const [x, y] = align(parseDecimal(a), parseDecimal(b));
  return x < y ? -1 : x > y ? 1 : 0;
};

const compareBytes = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));

/** Ordering of two scalars of the same type (N, S, B), or undefined when not comparable. */
export const compareValues = (a: AttributeValue, b: AttributeValue): number | undefined => {
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S), Buffer.from(b.S));
  if ('B' in a && 'B' in b) return compareBytes(a.B, b.B);
  return undefined;
};

const setKey = (type: string, element: string): string =>
  type === 'NS' ? normalizeNumber(element) : element;

/** Deep equality with DynamoDB semantics (sets unordered, numbers by value). */
export const valuesEqual = (a: AttributeValue, b: AttributeValue): boolean => {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  if (type === 'N') return compareNumbers(String(x.N), String(y.N)) === 0;
  if (type === 'SS' || type === 'NS' || type === 'BS') {
    const left = new Set((x[type] as string[]).map((e) => setKey(type, e)));
    const right = (y[type] as string[]).map((e) => setKey(type, e));
    return left.size === right.length && right.every((e) => left.has(e));
  }
  if (type === 'L') {
    const left = x.L as AttributeValue[];
    const right = y.L as AttributeValue[];
    return (
      left.length === right.length &&
      left.every((v, i) => valuesEqual(v, right[i] as AttributeValue))
    );
  }
  if (type === 'M') {
    const left = x.M as Item;
    const right = y.M as Item;
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every(
        (k) =>
          right[k] !== undefined &&
          valuesEqual(left[k] as AttributeValue, right[k] as AttributeValue),
      )
    );
  }
  return x[type] === y[type];
};

/** Validates one AttributeValue and returns it with numbers normalised. */
export const checkValue = (value: unknown): AttributeValue => {
  if (!isObject(value))
    throw validation(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  const type = keys[0];
  if (keys.length !== 1 || type === undefined || !(TYPES as readonly string[]).includes(type)) {
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const raw = value[type];
  switch (type) {
    case 'S':
    case 'B':
      if (typeof raw !== 'string') throw validation(`Invalid ${type} value`);
      return { [type]: raw } as AttributeValue;
    case 'N':
      return { N: normalizeNumber(String(raw)) };
    case 'BOOL':
      return { BOOL: raw === true };
    case 'NULL':
      if (raw !== true)
        throw validation(
          'One or more parameter values were invalid: Null attribute value types must have the value of true',
        );
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      const list = Array.isArray(raw) ? raw.map(String) : [];
      const label = type === 'SS' ? 'string' : type === 'NS' ? 'number' : 'binary';
      if (list.length === 0)
        throw validation(
          `One or more parameter values were invalid: An ${label} set  may not be empty`,
        );
      const elements = type === 'NS' ? list.map(normalizeNumber) : list;
      if (new Set(elements).size !== elements.length)
        throw validation(`Input collection [${list.join(', ')}] contains duplicates.`);
      return { [type]: elements } as AttributeValue;
    }
    case 'L':
      return { L: (Array.isArray(raw) ? raw : []).map(checkValue) };
    default:
      return { M: checkItem(raw) };
  }
};

/** Validates an item (or map) of AttributeValues. */
export const checkItem = (value: unknown): Item => {
  if (!isObject(value))
    throw validation('One or more parameter values were invalid: Item must be a map');
  const out: Item = {};
  for (const [name, v] of Object.entries(value)) out[name] = checkValue(v);
  return out;
};
