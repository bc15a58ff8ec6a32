import { isObject, type JsonObject } from '../core/input.ts';

/** Requests and items one table's reads and writes touched. */
export interface TableUsage {
  requests: number;
  itemsRead: number;
  itemsWritten: number;
}

// Reads and writes of items; table management is not metered.
const DATA_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

/** Items a request reads, as DynamoDB bills them: every key asked for, every item a Query scanned. */
const readsOf = (operation: string, input: JsonObject, output: JsonObject | undefined): number => {
  switch (operation) {
    case 'GetItem':
      return 1;
    case 'Query':
    case 'Scan':
      return typeof output?.ScannedCount === 'number' ? output.ScannedCount : 0;
    case 'BatchGetItem':
      return Object.values(isObject(input.RequestItems) ? input.RequestItems : {}).reduce(
        (sum: number, request) => sum + (isObject(request) ? count(request.Keys) : 0),
        0,
      );
    default:
      return 0;
  }
};

/**
 * Items a request writes. A write refused by its condition is still billed ("If a
 * ConditionExpression evaluates to false ... DynamoDB still consumes write capacity units",
 * Developer Guide, "Condition expressions"), so it counts whether it applied or not.
 */
const writesOf = (operation: string, input: JsonObject): number => {
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return 1;
    case 'BatchWriteItem':
      return Object.values(isObject(input.RequestItems) ? input.RequestItems : {}).reduce(
        (sum: number, writes) => sum + count(writes),
        0,
      );
    case 'TransactWriteItems':
      return count(input.TransactItems);
    default:
      return 0;
  }
};

const tablesOf = (input: JsonObject): string[] => {
  if (typeof input.TableName === 'string') return [input.TableName];
  if (isObject(input.RequestItems)) return Object.keys(input.RequestItems);
  if (Array.isArray(input.TransactItems))
    return input.TransactItems.filter(isObject).map((item) => {
      const spec = Object.values(item)[0];
      return isObject(spec) ? String(spec.TableName) : '';
    });
  return [];
};

/**
 * What the tables' requests cost, per table: requests, items read and items written (a request
 * over several tables is counted against the first it names). Tests and benchmarks read it to
 * show that a handler's cost per event does not grow with the data it keeps.
 */
export class DynamoDbUsage {
  readonly #tables = new Map<string, TableUsage>();

  record(operation: string, input: JsonObject, output: JsonObject | undefined): void {
    if (!DATA_OPERATIONS.has(operation)) return;
    const [table] = tablesOf(input);
    if (table === undefined) return;
    const usage = this.#tables.get(table) ?? { requests: 0, itemsRead: 0, itemsWritten: 0 };
    usage.requests += 1;
    usage.itemsRead += readsOf(operation, input, output);
    usage.itemsWritten += writesOf(operation, input);
    this.#tables.set(table, usage);
  }

  /** One table's usage, or every table's summed. */
  of(table?: string): TableUsage {
    const all = table === undefined ? [...this.#tables.values()] : [this.#tables.get(table)];
    return all.reduce<TableUsage>(
      (sum, u) => ({
        requests: sum.requests + (u?.requests ?? 0),
        itemsRead: sum.itemsRead + (u?.itemsRead ?? 0),
        itemsWritten: sum.itemsWritten + (u?.itemsWritten ?? 0),
      }),
      { requests: 0, itemsRead: 0, itemsWritten: 0 },
    );
  }

  /** Every table's usage, by table name. */
  byTable(): Record<string, TableUsage> {
    return Object.fromEntries([...this.#tables].map(([name, u]) => [name, { ...u }]));
  }

  /** Forgets what was counted. */
  clear(): void {
    this.#tables.clear();
  }
}
