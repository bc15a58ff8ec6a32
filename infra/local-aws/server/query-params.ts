import type { JsonObject } from '../core/input.ts';

/** A decoded awsQuery parameter tree: `A.member.1.B=x` becomes `{ A: { member: [{ B: 'x' }] } }`. */
export type QueryTree = { [key: string]: QueryNode };
type QueryNode = string | QueryTree | QueryNode[];

const setPath = (tree: QueryTree | QueryNode[], path: string[], value: string): void => {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const index = /^\d+$/.test(head) ? Number(head) - 1 : undefined;
  const container = tree as Record<string, QueryNode>;
  const key = index === undefined ? head : String(index);
  if (rest.length === 0) {
    container[key] = value;
    return;
  }
  const nextIsIndex = /^\d+$/.test(rest[0] ?? '');
  let child = container[key];
  if (child === undefined || typeof child === 'string') {
    child = nextIsIndex ? [] : {};
    container[key] = child;
  }
  setPath(child as QueryTree | QueryNode[], rest, value);
};

/** Parses a form-encoded awsQuery body into a tree (lists are 1-based on the wire). */
export const parseQueryBody = (body: string): QueryTree => {
  const tree: QueryTree = {};
  for (const [key, value] of new URLSearchParams(body)) setPath(tree, key.split('.'), value);
  return tree;
};

/** The elements of a `X.member.N` or `X.entry.N` list, dropping gaps. */
export const listOf = (node: QueryNode | undefined, wrapper: 'member' | 'entry'): QueryNode[] => {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return [];
  const inner = node[wrapper];
  return Array.isArray(inner) ? inner.filter((x) => x !== undefined) : [];
};

/** A string leaf, or undefined. */
export const leaf = (node: QueryNode | undefined): string | undefined =>
  typeof node === 'string' ? node : undefined;

/** A sub-tree, or an empty one. */
export const branch = (node: QueryNode | undefined): QueryTree =>
  node !== undefined && typeof node !== 'string' && !Array.isArray(node) ? node : {};

/** Copies the string leaves named in `keys` into a plain object. */
export const pickLeaves = (tree: QueryTree, keys: string[]): JsonObject => {
  const out: JsonObject = {};
  for (const key of keys) {
    const value = leaf(tree[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
};
