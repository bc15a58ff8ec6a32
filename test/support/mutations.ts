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

/** One change to one field of an event: delete it, replace it, or wrap it. */
type Mutation = {
  at: number;
  op: 'delete' | 'replace' | 'wrap-in-array' | 'stringify';
  value: unknown;
};

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'replace', 'wrap-in-array', 'stringify'),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      '',
      'STOPPED',
      'ecs-svc/1',
      'arn:aws:ecs:us-east-1:1:service/a/b',
      -1,
      1e308,
      null,
      [],
      {},
    ),
    fc.string({ maxLength: 300 }),
  ),
});

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

export { hostileInput, mutatedEvent };
