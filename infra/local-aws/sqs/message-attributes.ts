import { isObject, type JsonObject } from '../core/input.ts';
import type { SqsMessageAttribute } from './sqs-md5.ts';

/** The largest message SQS takes, and its default MaximumMessageSize: 1 MiB. */
export const MAX_MESSAGE_BYTES = 1_048_576;

const MAX_ATTRIBUTES = 10;

/**
 * Reads SendMessage's MessageAttributes as SQS checks them
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html):
 * "Name, type, value and the message body must not be empty or null"; DataType is String, Number
 * or Binary, optionally followed by a custom label ("Number.int"); a Number must read as one; at
 * most 10 attributes per message (SQS Developer Guide, message attributes). `invalid` builds the
 * InvalidParameterValue error.
 */
export const readMessageAttributes = (
  raw: JsonObject | undefined,
  invalid: (message: string) => Error,
): Record<string, SqsMessageAttribute> => {
  const entries = Object.entries(raw ?? {});
  if (entries.length > MAX_ATTRIBUTES)
    throw invalid(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  const out: Record<string, SqsMessageAttribute> = {};
  for (const [name, value] of entries) {
    if (name === '') throw invalid('The request must contain non-empty message attribute name.');
    const attr = isObject(value) ? value : {};
    const dataType = typeof attr.DataType === 'string' ? attr.DataType : '';
    if (dataType === '')
      throw invalid(
        `The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    const kind = /^(String|Number|Binary)(\..+)?$/.exec(dataType)?.[1];
    if (kind === undefined)
      throw invalid(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    const stringValue = typeof attr.StringValue === 'string' ? attr.StringValue : undefined;
    const binaryValue = typeof attr.BinaryValue === 'string' ? attr.BinaryValue : undefined;
    const present = kind === 'Binary' ? binaryValue : stringValue;
    if (present === undefined || present === '')
      throw invalid(
        `Message (user) attribute '${name}' must contain a non-empty value of type '${kind}'.`,
      );
    if (kind === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(present))
      throw invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    out[name] = {
      DataType: dataType,
      ...(kind === 'Binary' ? { BinaryValue: present } : { StringValue: present }),
    };
  }
  return out;
};

/**
 * A message's size as SQS limits it: the body plus "all parts of the message attribute,
 * including Name, Type, and Value" (API_MessageAttributeValue), in bytes.
 */
export const messageSize = (
  body: string,
  attributes: Record<string, SqsMessageAttribute>,
): number =>
  Buffer.byteLength(body) +
  Object.entries(attributes).reduce(
    (sum, [name, a]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(a.DataType) +
      (a.BinaryValue === undefined
        ? Buffer.byteLength(a.StringValue ?? '')
        : Buffer.from(a.BinaryValue, 'base64').length),
    0,
  );
