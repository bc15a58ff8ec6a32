import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueue } from './ports.ts';

/**
 * SQS accepts a message of the queue's MaximumMessageSize, 256 KiB (262,144 bytes) by default,
 * counted in UTF-8 bytes over the body and every message attribute's name, type and value
 * (SendMessage and MessageAttributeValue in the API reference; the dead-letter queue keeps the
 * default). A record holds the original event (up to 256 KiB itself) plus the error.
 */
const SQS_MAX_BYTES = 262_144;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

// SQS refuses U+FFFE and U+FFFF (and lone surrogates, which JSON.stringify already escapes). In
// JSON they can only stand inside strings, where their escape means the same.
const sqsSafe = (json: string): string =>
  json.replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** Cuts text to at most `max` UTF-8 bytes, on a character boundary. */
const cutBytes = (text: string, max: number): string => {
  if (max <= 0) return '';
  const cut = Buffer.from(text, 'utf8').subarray(0, max).toString('utf8');
  // A character cut in half decodes as U+FFFD: drop it.
  return cut.endsWith('\ufffd') && !text.startsWith(cut) ? cut.slice(0, -1) : cut;
};

// The error part is kept whole up to this size; a larger one (a long stack trace) is cut too.
const MAX_RESPONSE_BYTES = 16_384;

/**
 * The record as the queue's body, within `maxBytes`: whole when it fits, else with the original
 * event replaced by the start of its JSON text (still a valid JSON body, marked truncated).
 */
const recordBody = (record: unknown, maxBytes: number): string => {
  const whole = sqsSafe(JSON.stringify(record));
  if (bytes(whole) <= maxBytes) return whole;
  const { requestPayload, responsePayload, ...rest } = (record ?? {}) as Record<string, unknown>;
  const response = JSON.stringify(responsePayload) ?? '';
  if (bytes(response) <= MAX_RESPONSE_BYTES) rest.responsePayload = responsePayload;
  else rest.responsePayloadStart = cutBytes(response, MAX_RESPONSE_BYTES);
  const payload = JSON.stringify(requestPayload) ?? '';
  let budget = maxBytes;
  for (;;) {
    const body = sqsSafe(
      JSON.stringify({
        ...rest,
        truncated: { requestPayloadBytes: bytes(payload) },
        requestPayloadStart: cutBytes(payload, budget),
      }),
    );
    const over = bytes(body) - maxBytes;
    if (over <= 0 || budget <= 0) return body;
    budget -= over + 64;
  }
};

/** DeadLetterQueue over an SQS queue; records are clipped by bytes to what SQS accepts. */
const createDeadLetterQueue = (client: SQSClient, queueUrl: string): DeadLetterQueue => ({
  park: async (functionName, record) => {
    const attributes = { function: { DataType: 'String', StringValue: functionName } };
    const attributeBytes = bytes('function') + bytes('String') + bytes(functionName);
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: recordBody(record, SQS_MAX_BYTES - attributeBytes),
        MessageAttributes: attributes,
      }),
    );
  },
});

export { createDeadLetterQueue, recordBody, SQS_MAX_BYTES };
