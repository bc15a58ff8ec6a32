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

/** Cuts text to at most `max` UTF-8 bytes, on a character boundary (one pass, no copy). */
const cutBytes = (text: string, max: number): string => {
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const next = text.charCodeAt(end + 1);
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    // A lone surrogate is written as U+FFFD: three bytes, like the rest of the BMP above U+07FF.
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > max) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end);
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
