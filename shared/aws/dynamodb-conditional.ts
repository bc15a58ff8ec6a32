import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** What a conditional write found: applied, or refused with the item in place (if any). */
type ConditionalResult =
  | { applied: true }
  | { applied: false; found: Record<string, unknown> | undefined };

const refusedWith = (error: unknown): ConditionalResult => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  const item = error.Item as Record<string, AttributeValue> | undefined;
  return { applied: false, found: item ? unmarshall(item) : undefined };
};

/**
 * A conditional PutItem or UpdateItem that answers whether it applied instead of throwing, with the
 * item that made the condition fail (ReturnValuesOnConditionCheckFailure ALL_OLD), so that the
 * caller can tell its own earlier write (a response lost and the request sent again by the SDK)
 * from another writer's. The one place the stores catch ConditionalCheckFailedException.
 */
const conditionalPut = (
  client: DynamoDBClient,
  input: PutItemCommandInput,
): Promise<ConditionalResult> =>
  client
    .send(new PutItemCommand({ ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
    .then((): ConditionalResult => ({ applied: true }), refusedWith);

const conditionalUpdate = (
  client: DynamoDBClient,
  input: UpdateItemCommandInput,
): Promise<ConditionalResult> =>
  client
    .send(new UpdateItemCommand({ ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
    .then((): ConditionalResult => ({ applied: true }), refusedWith);

const conditionalDelete = (
  client: DynamoDBClient,
  input: DeleteItemCommandInput,
): Promise<ConditionalResult> =>
  client
    .send(new DeleteItemCommand({ ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
    .then((): ConditionalResult => ({ applied: true }), refusedWith);

/** What each item of a refused transaction found: whether its condition failed, and the item. */
interface TransactionRefusal {
  failed: boolean;
  found: Record<string, unknown> | undefined;
}

/**
 * TransactWriteItems whose writes all apply or none does: answers, instead of throwing, which
 * conditions failed and the items they found (ALL_OLD), so that the caller can tell its own
 * earlier write from another writer's. Other cancellation reasons (a conflicting transaction,
 * throttling) are thrown: a retry can help.
 */
const conditionalTransaction = async (
  client: DynamoDBClient,
  items: TransactWriteItem[],
): Promise<{ applied: true } | { applied: false; items: TransactionRefusal[] }> => {
  const withOld = items.map((item) => {
    const [kind, spec] = Object.entries(item)[0] as [string, object];
    return { [kind]: { ...spec, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
  }) as TransactWriteItem[];
  try {
    await client.send(new TransactWriteItemsCommand({ TransactItems: withOld }));
    return { applied: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (!reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw error;
    if (reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed'))
      throw error;
    return {
      applied: false,
      items: items.map((_, i) => {
        const reason = reasons[i];
        const item = reason?.Item as Record<string, AttributeValue> | undefined;
        return {
          failed: reason?.Code === 'ConditionalCheckFailed',
          found: item ? unmarshall(item) : undefined,
        };
      }),
    };
  }
};

export {
  type ConditionalResult,
  conditionalDelete,
  conditionalPut,
  conditionalTransaction,
  conditionalUpdate,
  type TransactionRefusal,
};
