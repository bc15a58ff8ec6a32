import * as z from 'zod/mini';
import { InvalidEventError } from '../../shared/core/errors.ts';
import { lazy, opt, text, toFieldIssues } from '../../shared/events/schema-helpers.ts';

/**
 * The record Lambda sends to an on-failure destination after an asynchronous invocation has used
 * up its retries: the original event, the error, and how many times it was tried.
 */
const destinationRecordSchema = lazy(() =>
  z.looseObject({
    version: text(16),
    timestamp: text(64),
    requestContext: z.looseObject({
      requestId: text(256),
      functionArn: text(2048).check(z.startsWith('arn:')),
      condition: text(64),
      approximateInvokeCount: z.int().check(z.nonnegative()),
    }),
    requestPayload: z.unknown(),
    responseContext: opt(z.looseObject({ functionError: opt(text(64)) })),
    responsePayload: opt(
      z.union([
        z.looseObject({ errorType: opt(text(512)), errorMessage: opt(text(8192)) }),
        z.unknown(),
      ]),
    ),
  }),
);

type DestinationRecord = z.infer<ReturnType<typeof destinationRecordSchema>>;

/** Parses a Lambda on-failure destination record; throws InvalidEventError naming bad fields. */
const parseDestinationRecord = (raw: unknown): DestinationRecord => {
  const result = destinationRecordSchema().safeParse(raw);
  if (!result.success)
    throw new InvalidEventError(toFieldIssues(result.error), 'Lambda destination record');
  return result.data;
};

export { type DestinationRecord, parseDestinationRecord };
