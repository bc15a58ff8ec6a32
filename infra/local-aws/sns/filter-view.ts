import { isObject } from '../core/input.ts';
import type { FilterView, Scalar } from './filter-policy.ts';
import type { SnsMessageAttribute } from './sns-model.ts';

const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Scalars of a JSON array, nested arrays flattened (objects inside are not values). */
const scalarsOf = (items: readonly unknown[]): Scalar[] =>
  items.flatMap((item) => (Array.isArray(item) ? scalarsOf(item) : isScalar(item) ? [item] : []));

/**
 * What an attribute-scoped policy sees (subscription-filter-policy-constraints.html): String
 * (and labelled String.x) attributes as strings, Number attributes as numbers, String.Array as
 * the elements of its JSON array ("each element in the array is treated as a separate string");
 * "Amazon SNS ignores message attributes with the Binary data type".
 */
export const attributeView = (attributes: Record<string, SnsMessageAttribute>): FilterView => {
  const values = new Map<string, Scalar[]>();
  for (const [name, attribute] of Object.entries(attributes)) {
    const type = attribute.DataType;
    const text = attribute.StringValue ?? '';
    if (type === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      // An array that does not parse is present but holds no value a rule can match.
      values.set(name, Array.isArray(parsed) ? scalarsOf(parsed) : []);
    } else if (type.startsWith('Number')) {
      values.set(name, [Number(text)]);
    } else if (type.startsWith('String')) {
      values.set(name, [text]);
    }
  }
  return { values, keyCount: values.size };
};

/**
 * What a body-scoped policy sees: the body's JSON object flattened to dotted paths (SNS matches
 * `"a.b"` in a policy against `{"a": {"b": ...}}` and `{"a.b": ...}` alike), an array standing for
 * each of its elements. A body that is not a JSON object matches no policy: "Filter policies for
 * the message body assume that the message payload is a well-formed JSON object"
 * (message-filtering.html).
 */
export const bodyView = (body: string): FilterView | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const values = new Map<string, Scalar[]>();
  const add = (path: string, value: Scalar): void => {
    const list = values.get(path) ?? [];
    list.push(value);
    values.set(path, list);
  };
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) for (const item of value) walk(item, path);
    else if (isObject(value))
      for (const [key, child] of Object.entries(value))
        walk(child, path === '' ? key : `${path}.${key}`);
    else if (isScalar(value)) add(path, value);
  };
  walk(parsed, '');
  return { values, keyCount: Object.keys(parsed).length };
};
