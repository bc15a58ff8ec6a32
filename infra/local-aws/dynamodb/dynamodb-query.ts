import { compact, isObject, type JsonObject } from '../core/input.ts';
import {
  type AttributeValue,
  checkItem,
  compareValues,
  type Item,
  validation,
} from './attribute-values.ts';
import {
  type IndexRecord,
  type KeyAttribute,
  keyAttributes,
  RequestExpressions,
  type TableRecord,
} from './dynamodb-tables.ts';
import { evaluate, getPath, project } from './expression-eval.ts';
import type { Condition, Operand } from './expression-parser.ts';
import { itemSize } from './item-size.ts';

// "A single Query operation will read up to the maximum number of items set (if using the Limit
// parameter) or a maximum of 1 MB of data and then apply any filtering" (API_Query; Scan alike).
// The item that reaches 1 MB is the last one read: a page holds at most 1 MB plus one item.
const PAGE_BYTES = 1024 * 1024;

const singleName = (operand: Operand): string | undefined => {
  const first = operand.kind === 'path' && operand.path.length === 1 ? operand.path[0] : undefined;
  return first?.kind === 'name' ? first.name : undefined;
};

// Splits a KeyConditionExpression into the partition-key equality and the optional sort-key test.
const checkKeyCondition = (
  condition: Condition,
  pk: KeyAttribute,
  sk: KeyAttribute | undefined,
): void => {
  const parts = condition.kind === 'and' ? [condition.a, condition.b] : [condition];
  let hasPartition = false;
  for (const part of parts) {
    const target =
      part.kind === 'compare' || part.kind === 'between'
        ? singleName(part.a)
        : part.kind === 'function' && part.args[0]
          ? singleName(part.args[0])
          : undefined;
    if (target === pk.name && part.kind === 'compare' && part.op === '=') hasPartition = true;
    else if (sk === undefined || target !== sk.name)
      throw validation('Query key condition not supported');
    else if (part.kind === 'compare' && part.op === '<>')
      throw validation('Unsupported operator on KeyCondition: <>');
    else if (part.kind === 'function' && part.name !== 'begins_with')
      throw validation(`Invalid operator used in KeyConditionExpression: ${part.name}`);
    else if (part.kind === 'and' || part.kind === 'or' || part.kind === 'not' || part.kind === 'in')
      throw validation('Query key condition not supported');
  }
  if (!hasPartition) throw validation(`Query condition missed key schema element: ${pk.name}`);
};

const projectFor = (item: Item, table: TableRecord, index: IndexRecord | undefined): Item => {
  const type = index?.projection.ProjectionType ?? 'ALL';
  if (index === undefined || type === 'ALL') return item;
  const keep = new Set(Object.keys(keyAttributes(table, item, index)));
  if (type === 'INCLUDE' && Array.isArray(index.projection.NonKeyAttributes)) {
    for (const name of index.projection.NonKeyAttributes) keep.add(String(name));
  }
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
};

/** Query or Scan over a table or index, with Limit/ExclusiveStartKey paging and filters. */
export const readItems = (
  table: TableRecord,
  input: JsonObject,
  mode: 'Query' | 'Scan',
): JsonObject => {
  const exprs = new RequestExpressions(input);
  const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
  const index = indexName === undefined ? undefined : table.indexes.get(indexName);
  if (indexName !== undefined && index === undefined) {
    throw validation(`The table does not have the specified index: ${indexName}`);
  }
  // API_Query, ConsistentRead: "Strongly consistent reads are not supported on global secondary
  // indexes. If you query a global secondary index with ConsistentRead set to true, you will
  // receive a ValidationException." (API_Scan says the same.)
  if (index?.global === true && input.ConsistentRead === true)
    throw validation('Consistent reads are not supported on global secondary indexes');
  const pk = index?.partitionKey ?? table.partitionKey;
  const sk = index === undefined ? table.sortKey : index.sortKey;
  let keyCondition: Condition | undefined;
  if (mode === 'Query') {
    keyCondition = exprs.condition('KeyConditionExpression', input.KeyConditionExpression);
    if (keyCondition === undefined)
      throw validation(
        'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
      );
    checkKeyCondition(keyCondition, pk, sk);
  }
  const filter = exprs.condition('FilterExpression', input.FilterExpression);
  const projection = exprs.projection(input.ProjectionExpression);
  exprs.finish();
  const values = exprs.scope.values;
  let candidates = [...table.items.values()].filter(
    (item) => item[pk.name] !== undefined && (sk === undefined || item[sk.name] !== undefined),
  );
  if (keyCondition !== undefined)
    candidates = candidates.filter((item) => evaluate(item, keyCondition, values));
  const sortValue = (item: Item): AttributeValue | undefined =>
    sk === undefined ? undefined : item[sk.name];
  candidates.sort((a, b) => {
    const byPartition =
      mode === 'Scan' ? JSON.stringify(a[pk.name]).localeCompare(JSON.stringify(b[pk.name])) : 0;
    const x = sortValue(a);
    const y = sortValue(b);
    return byPartition || (x && y ? (compareValues(x, y) ?? 0) : 0);
  });
  if (mode === 'Query' && input.ScanIndexForward === false) candidates.reverse();
  if (isObject(input.ExclusiveStartKey)) {
    const start = JSON.stringify(keyAttributes(table, checkItem(input.ExclusiveStartKey), index));
    const at = candidates.findIndex(
      (item) => JSON.stringify(keyAttributes(table, item, index)) === start,
    );
    candidates = at === -1 ? candidates : candidates.slice(at + 1);
  }
  const limit = typeof input.Limit === 'number' ? input.Limit : undefined;
  if (limit !== undefined && limit < 1)
    throw validation(
      "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  const scanned: Item[] = [];
  let bytes = 0;
  for (const item of candidates) {
    if (scanned.length === limit || bytes >= PAGE_BYTES) break;
    scanned.push(item);
    bytes += itemSize(item);
  }
  const matched =
    filter === undefined ? scanned : scanned.filter((item) => evaluate(item, filter, values));
  // Stopped by Limit (even on the last item: "the query stops when Limit is reached") or by the
  // 1 MB page while items remain: the caller must ask again from LastEvaluatedKey.
  const stopped =
    scanned.length === limit || (bytes >= PAGE_BYTES && scanned.length < candidates.length);
  const last = stopped ? scanned.at(-1) : undefined;
  const items = matched.map((item) => {
    const visible = projectFor(item, table, index);
    return projection === undefined ? visible : project(visible, projection);
  });
  const countOnly = input.Select === 'COUNT';
  return compact({
    Items: countOnly ? undefined : structuredClone(items),
    Count: matched.length,
    ScannedCount: scanned.length,
    LastEvaluatedKey: last === undefined ? undefined : keyAttributes(table, last, index),
  });
};

/** Reads one attribute path for ReturnValues UPDATED_* (top-level names only). */
export const topLevel = (item: Item, names: string[]): Item =>
  Object.fromEntries(
    names
      .filter((n) => getPath(item, [{ kind: 'name', name: n }]) !== undefined)
      .map((n) => [n, item[n] as AttributeValue]),
  );
