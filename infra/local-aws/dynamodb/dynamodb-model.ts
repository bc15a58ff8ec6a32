import { AwsError } from '../core/aws-error.ts';
import type { SimClock } from '../core/clock.ts';
import { uuid } from '../core/ids.ts';
import { compact, isObject, type JsonObject, readInput } from '../core/input.ts';
import { epochSeconds } from '../core/time-format.ts';
import type { CallContext, JsonService } from '../server/service-types.ts';
import { checkItem, type Item, validation } from './attribute-values.ts';
import { deleteItem, getItem, putItem, updateItem } from './dynamodb-items.ts';
import { readItems } from './dynamodb-query.ts';
import {
  itemKey,
  keyParameter,
  RequestExpressions,
  resourceNotFound,
  type TableRecord,
  tableFromInput,
} from './dynamodb-tables.ts';
import { evaluate } from './expression-eval.ts';
import { itemSize } from './item-size.ts';
import { describeTimeToLive, isDeletedByTtl, updateTimeToLive } from './time-to-live.ts';
import { DynamoDbUsage } from './usage.ts';

/** Key names for `dynamodb.createTable`. */
export interface TableKeys {
  partitionKey: string | { name: string; type: 'S' | 'N' | 'B' };
  sortKey?: string | { name: string; type: 'S' | 'N' | 'B' };
}

/** In-memory DynamoDB: tables of items in AttributeValue form, with expressions and conditions. */
export class DynamoDbModel {
  readonly #region: string;
  readonly #accountId: string;
  readonly #clock: SimClock;
  readonly #tables = new Map<string, TableRecord>();
  /**
   * How long after its TTL time an expired item is deleted (48 hours: "DynamoDB typically deletes
   * expired items within two days of expiration"); until then reads still return it.
   */
  ttlDeletionDelayMs = 48 * 3_600_000;
  /** Requests, items read and items written per table, as the wire served them. */
  readonly usage = new DynamoDbUsage();

  constructor(options: { region: string; accountId: string; clock: SimClock }) {
    this.#region = options.region;
    this.#accountId = options.accountId;
    this.#clock = options.clock;
  }

  /** Creates a table (string keys by default). */
  createTable(name: string, keys: TableKeys): void {
    const attr = (k: TableKeys['partitionKey']) =>
      typeof k === 'string' ? { name: k, type: 'S' as const } : k;
    const pk = attr(keys.partitionKey);
    const sk = keys.sortKey === undefined ? undefined : attr(keys.sortKey);
    this.#createTable({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: pk.name, KeyType: 'HASH' },
        ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
      ],
      AttributeDefinitions: [
        { AttributeName: pk.name, AttributeType: pk.type },
        ...(sk ? [{ AttributeName: sk.name, AttributeType: sk.type }] : []),
      ],
    });
  }

  /**
   * Creates a table from a CreateTable request (CloudFormation's table properties have its shape,
   * and its TimeToLiveSpecification is in force at once, as after the stack's creation).
   */
  createTableFrom(input: JsonObject): void {
    this.#createTable(input);
  }

  /** Items of a table (AttributeValue form), in key order. */
  items(tableName: string): Item[] {
    return [...this.#table(tableName).items.values()].map((i) => structuredClone(i));
  }

  /** Seeds or replaces an item without conditions. */
  putItem(tableName: string, item: Item): void {
    const table = this.#table(tableName);
    const checked = checkItem(item);
    table.items.set(itemKey(table, checked), checked);
  }

  /** Wire service (AWS JSON 1.0, `DynamoDB_20120810.<Operation>`). */
  wire(): JsonService {
    const table = (input: JsonObject): TableRecord =>
      this.#table(readInput(input, validation).str('TableName'));
    const service: JsonService = {
      name: 'dynamodb',
      protocol: 'json',
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
      queryCompatible: false,
      operations: {
        CreateTable: (input) => ({
          TableDescription: {
            ...this.#describe(this.#createTable(input)),
            TableStatus: 'CREATING',
          },
        }),
        DescribeTable: (input) => ({ Table: this.#describe(table(input)) }),
        DeleteTable: (input) => {
          const t = table(input);
          this.#tables.delete(t.name);
          return { TableDescription: { ...this.#describe(t), TableStatus: 'DELETING' } };
        },
        ListTables: () => ({ TableNames: [...this.#tables.keys()].sort() }),
        PutItem: (input) => putItem(table(input), input),
        GetItem: (input) => getItem(table(input), input),
        DeleteItem: (input) => deleteItem(table(input), input),
        UpdateItem: (input) => updateItem(table(input), input),
        Query: (input) => readItems(table(input), input, 'Query'),
        Scan: (input) => readItems(table(input), input, 'Scan'),
        UpdateTimeToLive: (input) => {
          const t = table(input);
          const { ttl, output } = updateTimeToLive(t.ttl, input, this.#clock.nowMs());
          t.ttl = ttl;
          return output;
        },
        DescribeTimeToLive: (input) => describeTimeToLive(table(input).ttl, this.#clock.nowMs()),
        BatchGetItem: (input) => this.#batchGet(input),
        BatchWriteItem: (input) => this.#batchWrite(input),
        TransactWriteItems: (input) => this.#transactWrite(input),
      },
    };
    return { ...service, operations: this.#metered(service.operations) };
  }

  // Every data request is counted, refused ones too (a refused conditional write is still billed).
  #metered(operations: JsonService['operations']): JsonService['operations'] {
    return Object.fromEntries(
      Object.entries(operations).map(([name, handler]) => [
        name,
        (input: JsonObject, call: CallContext) => {
          let output: JsonObject | undefined;
          try {
            output = handler(input, call) as JsonObject;
            return output;
          } finally {
            this.usage.record(name, input, output);
          }
        },
      ]),
    );
  }

  #table(name: string): TableRecord {
    const table = this.#tables.get(name);
    if (table === undefined) throw resourceNotFound();
    this.#expire(table);
    return table;
  }

  // The TTL process, applied lazily: expired items whose deletion time has come are gone.
  #expire(table: TableRecord): void {
    if (table.ttl === undefined) return;
    const now = this.#clock.nowMs();
    for (const [key, item] of table.items) {
      if (isDeletedByTtl(table.ttl, item, now, this.ttlDeletionDelayMs)) table.items.delete(key);
    }
  }

  #createTable(input: JsonObject): TableRecord {
    const name = readInput(input, validation).str('TableName');
    if (this.#tables.has(name))
      throw new AwsError('ResourceInUseException', `Table already exists: ${name}`);
    const table = tableFromInput(input, {
      arn: `arn:aws:dynamodb:${this.#region}:${this.#accountId}:table/${name}`,
      id: uuid(),
      createdAt: this.#clock.nowMs(),
    });
    this.#tables.set(name, table);
    return table;
  }

  #describe(table: TableRecord): JsonObject {
    const indexes = [...table.indexes.values()];
    const view = (global: boolean) =>
      indexes
        .filter((i) => i.global === global)
        .map((i) => ({
          IndexName: i.name,
          KeySchema: i.keySchema,
          Projection: i.projection,
          IndexStatus: 'ACTIVE',
          IndexArn: `${table.arn}/index/${i.name}`,
          ItemCount: 0,
          IndexSizeBytes: 0,
        }));
    return compact({
      TableName: table.name,
      TableArn: table.arn,
      TableId: table.id,
      TableStatus: 'ACTIVE',
      KeySchema: table.keySchema,
      AttributeDefinitions: table.attributeDefinitions,
      CreationDateTime: epochSeconds(table.createdAt),
      ItemCount: table.items.size,
      TableSizeBytes: [...table.items.values()].reduce((sum, i) => sum + itemSize(i), 0),
      ProvisionedThroughput: {
        NumberOfDecreasesToday: 0,
        ReadCapacityUnits: 0,
        WriteCapacityUnits: 0,
      },
      BillingModeSummary: { BillingMode: table.billingMode },
      GlobalSecondaryIndexes: view(true).length > 0 ? view(true) : undefined,
      LocalSecondaryIndexes: view(false).length > 0 ? view(false) : undefined,
    });
  }

  #batchGet(input: JsonObject): JsonObject {
    const requests = isObject(input.RequestItems) ? input.RequestItems : {};
    const Responses: Record<string, Item[]> = {};
    for (const [name, request] of Object.entries(requests)) {
      const spec = isObject(request) ? request : {};
      const found: Item[] = [];
      for (const key of Array.isArray(spec.Keys) ? spec.Keys : []) {
        const out = getItem(this.#table(name), { ...spec, Key: key, Keys: undefined });
        if (isObject(out.Item)) found.push(out.Item as Item);
      }
      Responses[name] = found;
    }
    return { Responses, UnprocessedKeys: {} };
  }

  #batchWrite(input: JsonObject): JsonObject {
    const requests = isObject(input.RequestItems) ? input.RequestItems : {};
    for (const [name, writes] of Object.entries(requests)) {
      const table = this.#table(name);
      for (const write of (Array.isArray(writes) ? writes : []).filter(isObject)) {
        if (isObject(write.PutRequest)) putItem(table, { Item: write.PutRequest.Item });
        else if (isObject(write.DeleteRequest)) deleteItem(table, { Key: write.DeleteRequest.Key });
      }
    }
    return { UnprocessedItems: {} };
  }

  #transactWrite(input: JsonObject): JsonObject {
    const actions = (Array.isArray(input.TransactItems) ? input.TransactItems : []).filter(
      isObject,
    );
    const reasons = actions.map((action) => {
      const [kind, spec] = Object.entries(action)[0] ?? ['', {}];
      const request = isObject(spec) ? spec : {};
      const table = this.#table(String(request.TableName));
      const exprs = new RequestExpressions(request);
      const condition = exprs.condition('ConditionExpression', request.ConditionExpression);
      exprs.update(request.UpdateExpression);
      exprs.finish();
      const key =
        kind === 'Put'
          ? itemKey(table, checkItem(request.Item))
          : keyParameter(table, request.Key).serialized;
      const old = table.items.get(key);
      const ok = condition === undefined || evaluate(old ?? {}, condition, exprs.scope.values);
      const item =
        request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old !== undefined
          ? { Item: old }
          : {};
      return ok
        ? { Code: 'None' }
        : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...item };
    });
    if (reasons.some((r) => r.Code !== 'None')) {
      throw new AwsError(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        400,
        { fields: { CancellationReasons: reasons } },
      );
    }
    for (const action of actions) {
      const [kind, spec] = Object.entries(action)[0] ?? ['', {}];
      const request = isObject(spec) ? spec : {};
      const table = this.#table(String(request.TableName));
      if (kind === 'Put') putItem(table, request);
      else if (kind === 'Update') updateItem(table, request);
      else if (kind === 'Delete') deleteItem(table, request);
    }
    return {};
  }
}
