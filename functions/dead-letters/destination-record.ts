import * as z from 'zod';
import { InvalidEventError } from '../../shared/core/errors.ts';
import { toFieldIssues } from '../../shared/events/schema-helpers.ts';

/**
 * The record Lambda sends to an on-failure destination after an asynchronous invocation has used
 * up its retries: the original event, the error, and how many times it was tried.
 */
const destinationRecordSchema = z.looseObject({
  version: z.string().max(16),
  timestamp: z.string().max(64),
  requestContext: z.looseObject({
    requestId: z.string().max(256),
    functionArn: z.string().max(2048).startsWith('arn:'),
    condition: z.string().max(64),
    approximateInvokeCount: z.number().int().nonnegative(),
  }),
  requestPayload: z.unknown(),
  responseContext: z.looseObject({ functionError: z.string().max(64).optional() }).optional(),
  responsePayload: z
    .union([
      z.looseObject({
        errorType: z.string().max(512).optional(),
        errorMessage: z.string().max(8192).optional(),
      }),
      z.unknown(),
    ])
    .optional(),
});

type DestinationRecord = z.infer<typeof destinationRecordSchema>;

/** Parses a Lambda on-failure destination record; throws InvalidEventError naming bad fields. */
const parseDestinationRecord = (raw: unknown): DestinationRecord => {
  const result = destinationRecordSchema.safeParse(raw);
  if (!result.success)
    throw new InvalidEventError(toFieldIssues(result.error), 'Lambda destination record');
  return result.data;
};

export { type DestinationRecord, parseDestinationRecord };
