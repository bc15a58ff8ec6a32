import { formatPath } from '#kernel/events/schema-helpers.ts';
import { isObject } from './documents.ts';
import type { FieldPath } from './types.ts';

/** One step of a key: a field, every element of a list (`[]`), or one element (`[2]`). */
type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'each' }
  | { kind: 'index'; index: number };

/** A field found (or found missing) by a key, with where it is. */
interface ResolvedValue {
  path: FieldPath;
  value: unknown;
}

const PART = /^([A-Za-z0-9_:-]+)((?:\[\d*\])*)$/;

/** The key syntax policies use: dotted field names with `[]` (each) and `[n]` (one element). */
const KEY_SYNTAX = /^[A-Za-z0-9_:-]+(?:\[\d*\])*(?:\.[A-Za-z0-9_:-]+(?:\[\d*\])*)*$/;

/** Parses `containerDefinitions[].portMappings[0].hostPort`; undefined when malformed. */
const parseKey = (key: string): Segment[] | undefined => {
  if (!KEY_SYNTAX.test(key)) return undefined;
  const segments: Segment[] = [];
  for (const part of key.split('.')) {
    const match = PART.exec(part);
    if (!match?.[1]) return undefined;
    segments.push({ kind: 'field', name: match[1] });
    for (const bracket of match[2]?.match(/\[\d*\]/g) ?? []) {
      const inner = bracket.slice(1, -1);
      segments.push(inner === '' ? { kind: 'each' } : { kind: 'index', index: Number(inner) });
    }
  }
  return segments;
};

/**
 * Every value a key reaches in a document. A missing field yields one undefined value at its path
 * (so `absent` can match it); `[]` over a missing or empty list yields nothing.
 */
const resolveKey = (root: unknown, segments: readonly Segment[]): ResolvedValue[] => {
  let nodes: ResolvedValue[] = [{ path: [], value: root }];
  for (const segment of segments) {
    const next: ResolvedValue[] = [];
    for (const node of nodes) {
      if (segment.kind === 'field') {
        const value =
          isObject(node.value) && Object.hasOwn(node.value, segment.name)
            ? node.value[segment.name]
            : undefined;
        next.push({ path: [...node.path, segment.name], value });
      } else if (segment.kind === 'index') {
        const value = Array.isArray(node.value) ? node.value[segment.index] : undefined;
        next.push({ path: [...node.path, segment.index], value });
      } else if (Array.isArray(node.value)) {
        node.value.forEach((value, index) => {
          next.push({ path: [...node.path, index], value });
        });
      }
    }
    nodes = next;
  }
  return nodes;
};

/** `containerDefinitions[0].image` from a field path. */
const formatFieldPath = (path: FieldPath): string => formatPath(path);

export { formatFieldPath, KEY_SYNTAX, parseKey, type ResolvedValue, resolveKey, type Segment };
