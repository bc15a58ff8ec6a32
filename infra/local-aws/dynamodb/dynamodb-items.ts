import { AwsError } from '../core/aws-error.ts';
import type { JsonObject } from '../core/input.ts';
import { checkItem, type Item, validation } from './attribute-values.ts';
import { topLevel } from './dynamodb-query.ts';
import {
  itemKey,
  keyNames,
  keyParameter,
  RequestExpressions,
  type TableRecord,
} from './dynamodb-tables.ts';
import { evaluate, project } from './expression-eval.ts';
import { itemSize } from './item-size.ts';
import { applyUpdate } from './update-eval.ts';

const conditionFailed = (old: Item | undefined, returnOld: boolean): AwsError =>
  new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
    fields: returnOld && old !== undefined ? { Item: old } : {},
  });

const MAX_ITEM_BYTES = 400 * 1024;

/** PutItem with its ConditionExpression. */
export const putItem = (table: TableRecord, input: JsonObject): JsonObject => {
  const item = checkItem(input.Item);
  const key = itemKey(table, item);
  if (itemSize(item) > MAX_ITEM_BYTES)
    throw validation('Item size has exceeded the maximum allowed size');
  const exprs = new RequestExpressions(input);
  const condition = exprs.condition('ConditionExpression', input.ConditionExpression);
  exprs.finish();
  const old = table.items.get(key);
  if (condition && !evaluate(old ?? {}, condition, exprs.scope.values)) {
    throw conditionFailed(old, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD');
  }
  table.items.set(key, item);
  return input.ReturnValues === 'ALL_OLD' && old !== undefined ? { Attributes: old } : {};
};

/** GetItem with an optional ProjectionExpression. */
export const getItem = (table: TableRecord, input: JsonObject): JsonObject => {
  const { serialized } = keyParameter(table, input.Key);
  const exprs = new RequestExpressions(input);
  const projection = exprs.projection(input.ProjectionExpression);
  exprs.finish();
  const item = table.items.get(serialized);
  if (item === undefined) return {};
  return { Item: structuredClone(projection === undefined ? item : project(item, projection)) };
};

/** DeleteItem with its ConditionExpression. */
export const deleteItem = (table: TableRecord, input: JsonObject): JsonObject => {
  const { serialized } = keyParameter(table, input.Key);
  const exprs = new RequestExpressions(input);
  const condition = exprs.condition('ConditionExpression', input.ConditionExpression);
  exprs.finish();
  const old = table.items.get(serialized);
  if (condition && !evaluate(old ?? {}, condition, exprs.scope.values)) {
    throw conditionFailed(old, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD');
  }
  table.items.delete(serialized);
  return input.ReturnValues === 'ALL_OLD' && old !== undefined ? { Attributes: old } : {};
};

/** UpdateItem: condition, update expression and ReturnValues. */
export const updateItem = (table: TableRecord, input: JsonObject): JsonObject => {
  const { key, serialized } = keyParameter(table, input.Key);
  const exprs = new RequestExpressions(input);
  const plan = exprs.update(input.UpdateExpression);
  const condition = exprs.condition('ConditionExpression', input.ConditionExpression);
  exprs.finish();
  const old = table.items.get(serialized);
  if (condition && !evaluate(old ?? {}, condition, exprs.scope.values)) {
    throw conditionFailed(old, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD');
  }
  const base = old ?? key;
  const updated =
    plan === undefined
      ? structuredClone(base)
      : applyUpdate(base, plan, exprs.scope.values, keyNames(table));
  if (itemSize(updated) > MAX_ITEM_BYTES)
    throw validation('Item size has exceeded the maximum allowed size');
  table.items.set(serialized, updated);
  const touched =
    plan === undefined
      ? []
      : [...plan.set, ...plan.add, ...plan.delete]
          .map((a) => a.path)
          .concat(plan.remove)
          .map((p) => (p[0]?.kind === 'name' ? p[0].name : ''));
  switch (input.ReturnValues) {
    case 'ALL_NEW':
      return { Attributes: structuredClone(updated) };
    case 'ALL_OLD':
      return old === undefined ? {} : { Attributes: structuredClone(old) };
    case 'UPDATED_NEW':
      return { Attributes: topLevel(updated, touched) };
    case 'UPDATED_OLD':
      return old === undefined ? {} : { Attributes: topLevel(old, touched) };
    default:
      return {};
  }
};
