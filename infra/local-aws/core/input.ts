import type { AwsError } from './aws-error.ts';

/** A decoded JSON object. */
export type JsonObject = Record<string, unknown>;

/** Typed accessors over one request's input; failures use the service's validation error. */
export interface InputReader {
  readonly raw: JsonObject;
  str(key: string): string;
  optStr(key: string): string | undefined;
  num(key: string): number;
  optNum(key: string): number | undefined;
  optBool(key: string): boolean | undefined;
  optArr(key: string): unknown[] | undefined;
  optStrArr(key: string): string[] | undefined;
  optObj(key: string): JsonObject | undefined;
}

/** True for a plain (non-array) object. */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Wraps `input`; `invalid` builds the service's validation error from a message. */
export const readInput = (input: unknown, invalid: (message: string) => AwsError): InputReader => {
  const raw = isObject(input) ? input : {};
  const missing = (key: string): AwsError =>
    invalid(
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  const wrong = (key: string, type: string): AwsError =>
    invalid(`Invalid type for parameter ${key}, expected ${type}`);
  const optOf = <T>(key: string, type: string, test: (v: unknown) => v is T): T | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (!test(value)) throw wrong(key, type);
    return value;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
  const isStringArray = (v: unknown): v is string[] => isArray(v) && v.every(isString);
  return {
    raw,
    str: (key) => {
      const value = optOf(key, 'string', isString);
      if (value === undefined) throw missing(key);
      return value;
    },
    optStr: (key) => optOf(key, 'string', isString),
    num: (key) => {
      const value = optOf(key, 'number', isNumber);
      if (value === undefined) throw missing(key);
      return value;
    },
    optNum: (key) => optOf(key, 'number', isNumber),
    optBool: (key) => optOf(key, 'boolean', isBoolean),
    optArr: (key) => optOf(key, 'list', isArray),
    optStrArr: (key) => optOf(key, 'list of strings', isStringArray),
    optObj: (key) => optOf(key, 'structure', isObject),
  };
};

/** Removes keys whose value is undefined (so JSON output matches what the service sends). */
export const compact = <T extends JsonObject>(value: T): T => {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
};
