import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
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

export { type ConditionalResult, conditionalDelete, conditionalPut, conditionalUpdate };
