import { AwsError } from '../core/aws-error.ts';
import { isObject, type JsonObject } from '../core/input.ts';
import {
  type AttributeValue,
  checkItem,
  type Item,
  typeOf,
  validation,
} from './attribute-values.ts';
import {
  type Condition,
  type ExpressionScope,
  type Path,
  parseCondition,
  parseProjection,
  parseUpdate,
  type UpdatePlan,
} from './expression-parser.ts';
import { type TimeToLive, ttlFromTable } from './time-to-live.ts';

/** A key attribute of a table or index. */
export interface KeyAttribute {
  name: string;
  type: string;
}

/** A secondary index. */
export interface IndexRecord {
  name: string;
  global: boolean;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: JsonObject;
  keySchema: JsonObject[];
}

/** A table and its items (keyed by the serialised primary key). */
export interface TableRecord {
  name: string;
  arn: string;
  id: string;
  createdAt: number;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  keySchema: JsonObject[];
  attributeDefinitions: JsonObject[];
  billingMode: string;
  indexes: Map<string, IndexRecord>;
  items: Map<string, Item>;
  ttl?: TimeToLive;
}

/** DynamoDB's missing-table error. */
export const resourceNotFound = (): AwsError =>
  new AwsError('ResourceNotFoundException', 'Requested resource not found');

/** The table's key attribute names. */
export const keyNames = (table: TableRecord): string[] =>
  table.sortKey === undefined
    ? [table.partitionKey.name]
    : [table.partitionKey.name, table.sortKey.name];

const checkKeyValue = (attr: KeyAttribute, value: AttributeValue | undefined): AttributeValue => {
  if (value === undefined)
    throw validation(
      `One or more parameter values were invalid: Missing the key ${attr.name} in the item`,
    );
  const actual = typeOf(value);
  if (actual !== attr.type) {
    throw validation(
      `One or more parameter values were invalid: Type mismatch for key ${attr.name} expected: ${attr.type} actual: ${actual}`,
    );
  }
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${attr.name}`,
    );
  }
  return value;
};

/** Serialised primary key of an item (validated against the schema). */
export const itemKey = (table: TableRecord, item: Item): string => {
  const parts = [checkKeyValue(table.partitionKey, item[table.partitionKey.name])];
  if (table.sortKey) parts.push(checkKeyValue(table.sortKey, item[table.sortKey.name]));
  return JSON.stringify(parts);
};

/** A `Key` parameter: exactly the key attributes, else "does not match the schema". */
export const keyParameter = (
  table: TableRecord,
  raw: unknown,
): { key: Item; serialized: string } => {
  const key = checkItem(raw ?? {});
  const names = keyNames(table);
  if (Object.keys(key).length !== names.length || !names.every((n) => key[n] !== undefined)) {
    throw validation('The provided key element does not match the schema');
  }
  try {
    return { key, serialized: itemKey(table, key) };
  } catch {
    throw validation('The provided key element does not match the schema');
  }
};

/** The primary (and index) key attributes of an item, as LastEvaluatedKey reports them. */
export const keyAttributes = (table: TableRecord, item: Item, index?: IndexRecord): Item => {
  const out: Item = {};
  const names = [...keyNames(table), index?.partitionKey.name, index?.sortKey?.name];
  for (const name of names) {
    if (name !== undefined && item[name] !== undefined) out[name] = item[name];
  }
  return out;
};

/** The placeholder maps and expressions of one request, with DynamoDB's usage checks. */
export class RequestExpressions {
  readonly scope: ExpressionScope;
  readonly #namesGiven: boolean;
  readonly #valuesGiven: boolean;
  #parsed = 0;

  constructor(input: JsonObject) {
    const names = input.ExpressionAttributeNames;
    const values = input.ExpressionAttributeValues;
    this.#namesGiven = names !== undefined;
    this.#valuesGiven = values !== undefined;
    if (isObject(names) && Object.keys(names).length === 0)
      throw validation('ExpressionAttributeNames must not be empty');
    if (isObject(values) && Object.keys(values).length === 0)
      throw validation('ExpressionAttributeValues must not be empty');
    const nameMap: Record<string, string> = {};
    for (const [k, v] of Object.entries(isObject(names) ? names : {})) nameMap[k] = String(v);
    this.scope = {
      names: nameMap,
      values: isObject(values) ? values : {},
      usedNames: new Set(),
      usedValues: new Set(),
    };
  }

  /** Parses a condition-style expression if present. */
  condition(kind: string, text: unknown): Condition | undefined {
    if (typeof text !== 'string') return undefined;
    this.#parsed += 1;
    return parseCondition(kind, text, this.scope);
  }

  /** Parses an UpdateExpression if present. */
  update(text: unknown): UpdatePlan | undefined {
    if (typeof text !== 'string') return undefined;
    this.#parsed += 1;
    return parseUpdate(text, this.scope);
  }

  /** Parses a ProjectionExpression if present. */
  projection(text: unknown): Path[] | undefined {
    if (typeof text !== 'string') return undefined;
    this.#parsed += 1;
    return parseProjection(text, this.scope);
  }

  /** Rejects placeholders that no expression used, as DynamoDB does. */
  finish(): void {
    if (this.#parsed === 0 && this.#namesGiven)
      throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (this.#parsed === 0 && this.#valuesGiven)
      throw validation('ExpressionAttributeValues can only be specified when using expressions');
    const unusedNames = Object.keys(this.scope.names).filter((k) => !this.scope.usedNames.has(k));
    if (unusedNames.length > 0)
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
      );
    const unusedValues = Object.keys(this.scope.values).filter(
      (k) => !this.scope.usedValues.has(k),
    );
    if (unusedValues.length > 0)
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
      );
  }
}

const keyAttribute = (
  schema: JsonObject[],
  definitions: JsonObject[],
  keyType: string,
): KeyAttribute | undefined => {
  const entry = schema.find((k) => k.KeyType === keyType);
  if (entry === undefined) return undefined;
  const name = String(entry.AttributeName);
  const def = definitions.find((d) => d.AttributeName === name);
  if (def === undefined) {
    throw validation(
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${name}], AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`,
    );
  }
  return { name, type: String(def.AttributeType) };
};

/** Builds a table from CreateTable's KeySchema/AttributeDefinitions/indexes. */
export const tableFromInput = (
  input: JsonObject,
  base: { arn: string; id: string; createdAt: number },
): TableRecord => {
  const schema = (Array.isArray(input.KeySchema) ? input.KeySchema : []).filter(isObject);
  const definitions = (
    Array.isArray(input.AttributeDefinitions) ? input.AttributeDefinitions : []
  ).filter(isObject);
  const partitionKey = keyAttribute(schema, definitions, 'HASH');
  if (partitionKey === undefined)
    throw validation(
      "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
  const sortKey = keyAttribute(schema, definitions, 'RANGE');
  const ttl = ttlFromTable(input);
  const indexes = new Map<string, IndexRecord>();
  for (const [global, key] of [
    [true, 'GlobalSecondaryIndexes'],
    [false, 'LocalSecondaryIndexes'],
  ] as const) {
    for (const raw of (Array.isArray(input[key]) ? (input[key] as unknown[]) : []).filter(
      isObject,
    )) {
      const keySchema = (Array.isArray(raw.KeySchema) ? raw.KeySchema : []).filter(isObject);
      const pk = keyAttribute(keySchema, definitions, 'HASH');
      if (pk === undefined)
        throw validation(`Invalid KeySchema for index ${String(raw.IndexName)}`);
      const sk = keyAttribute(keySchema, definitions, 'RANGE');
      indexes.set(String(raw.IndexName), {
        name: String(raw.IndexName),
        global,
        partitionKey: pk,
        keySchema,
        projection: isObject(raw.Projection) ? raw.Projection : { ProjectionType: 'ALL' },
        ...(sk === undefined ? {} : { sortKey: sk }),
      });
    }
  }
  return {
    name: String(input.TableName),
    ...base,
    partitionKey,
    keySchema: schema,
    attributeDefinitions: definitions,
    billingMode: typeof input.BillingMode === 'string' ? input.BillingMode : 'PROVISIONED',
    indexes,
    items: new Map(),
    ...(sortKey === undefined ? {} : { sortKey }),
    ...(ttl === undefined ? {} : { ttl }),
  };
};
