import * as v from 'valibot';
import { InvalidEventError } from '#kernel/errors.ts';
import { lazy, opt, text, timestamp, toFieldIssues } from '#kernel/events/schema-helpers.ts';

/**
 * The record Lambda sends to an on-failure destination after an asynchronous invocation has used
 * up its retries: the original event, the error, and how many times it was tried.
 */
const destinationRecordSchema = lazy(() =>
  v.looseObject({
    version: text(16),
    timestamp: timestamp(),
    requestContext: v.looseObject({
      requestId: text(256),
      functionArn: v.pipe(text(2048), v.startsWith('arn:')),
      condition: text(64),
      approximateInvokeCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
    requestPayload: v.unknown(),
    responseContext: opt(v.looseObject({ functionError: opt(text(64)) })),
    // Whatever the function threw, as Lambda serialised it: read field by field (decide.ts).
    responsePayload: opt(v.unknown()),
  }),
);

type DestinationRecord = v.InferOutput<ReturnType<typeof destinationRecordSchema>>;

/** Parses a Lambda on-failure destination record; throws InvalidEventError naming bad fields. */
const parseDestinationRecord = (raw: unknown): DestinationRecord => {
  const result = v.safeParse(destinationRecordSchema(), raw);
  if (!result.success)
    throw new InvalidEventError(toFieldIssues(result.issues), 'Lambda destination record');
  return result.output;
};

export { type DestinationRecord, parseDestinationRecord };
