import * as fc from 'fast-check';
import { fixture, fixtureNames, type Json } from './events.ts';

type Path = (string | number)[];

const pathsOf = (value: unknown, prefix: Path = []): Path[] => {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
  return [prefix, ...children];
};

const parentOf = (root: unknown, path: Path): Record<string | number, unknown> | undefined => {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path.slice(0, -1)) {
    node = node?.[key] as Record<string | number, unknown> | undefined;
    if (node === null || typeof node !== 'object') return undefined;
  }
  return node;
};

/** Names of Object.prototype's members: as keys or as values, they must never reach a lookup. */
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
] as const;

/** Strings holding lone UTF-16 surrogates, which no UTF-8 channel can carry. */
const LONE_SURROGATES = ['\ud800', 'web\udc00', 'reason \ud83d', '\udfff\ud800'];

// EventBridge caps an event at 256 KiB; a field that brings the record near that size.
const NEAR_LIMIT = ['x'.repeat(250_000), '\u20ac'.repeat(87_000), '<'.repeat(200_000)];

/**
 * One change to one field of an event: delete it, replace it, wrap it, serialise it, add a key
 * named after a prototype member beside it, make it such a name (an event name "constructor"),
 * append a lone surrogate to it, or turn a number into a string (and back).
 */
type Mutation = {
  at: number;
  op:
    | 'delete'
    | 'replace'
    | 'wrap-in-array'
    | 'stringify'
    | 'prototype-key'
    | 'prototype-value'
    | 'append-surrogate'
    | 'number-as-string';
  key: (typeof PROTOTYPE_KEYS)[number];
  value: unknown;
};

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom(
    'delete',
    'replace',
    'replace',
    'wrap-in-array',
    'stringify',
    'prototype-key',
    'prototype-value',
    'append-surrogate',
    'number-as-string',
  ),
  key: fc.constantFrom(...PROTOTYPE_KEYS),
  value: fc.oneof(
    { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        '',
        'STOPPED',
        'ecs-svc/1',
        'arn:aws:ecs:us-east-1:1:service/a/b',
        -1,
        1e308,
        null,
        [],
        {},
        ...PROTOTYPE_KEYS,
        ...LONE_SURROGATES,
      ),
    },
    { weight: 6, arbitrary: fc.string({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom(...NEAR_LIMIT) },
  ),
});

const numberAsString = (value: unknown): unknown => {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  return value;
};

const apply = (event: Json, m: Mutation): Json => {
  const paths = pathsOf(event).filter((p) => p.length > 0);
  const path = paths[m.at % paths.length];
  if (!path) return event;
  const parent = parentOf(event, path);
  const key = path[path.length - 1] as string | number;
  if (!parent) return event;
  if (m.op === 'delete') delete parent[key];
  if (m.op === 'replace') parent[key] = m.value;
  if (m.op === 'wrap-in-array') parent[key] = [parent[key]];
  if (m.op === 'stringify') parent[key] = JSON.stringify(parent[key]);
  if (m.op === 'number-as-string') parent[key] = numberAsString(parent[key]);
  if (m.op === 'prototype-value') parent[key] = m.key;
  // Kept valid otherwise (an ARN stays an ARN), so that the surrogate reaches names and alerts.
  if (m.op === 'append-surrogate' && typeof parent[key] === 'string')
    parent[key] = `${parent[key]}${LONE_SURROGATES[m.at % LONE_SURROGATES.length]}`;
  if (m.op === 'prototype-key' && !Array.isArray(parent)) {
    // An own property, as JSON.parse creates one for "__proto__": never the object's prototype.
    Object.defineProperty(parent, m.key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return event;
};

const ENVELOPES = fixtureNames().filter((name) => !name.startsWith('cloudtrail-record'));

/** Real events with 1 to 6 random mutations each. */
const mutatedEvent: fc.Arbitrary<Json> = fc
  .tuple(fc.constantFrom(...ENVELOPES), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([name, mutations]) => mutations.reduce(apply, fixture(name)));

/** Mutated real events, plus arbitrary values that are not events at all. */
const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: mutatedEvent },
  { weight: 1, arbitrary: fc.anything() },
  { weight: 1, arbitrary: fc.jsonValue() },
);

export { hostileInput, LONE_SURROGATES, mutatedEvent, NEAR_LIMIT, PROTOTYPE_KEYS };
