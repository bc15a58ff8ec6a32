import { errorOf } from '../core/aws-error.ts';
import { isObject, type JsonObject } from '../core/input.ts';
import type { SnsMessageAttribute } from './sns-model.ts';

const invalidParameter = errorOf('InvalidParameter');
const invalidValue = errorOf('ParameterValueInvalid');

export const checkSubject = (subject: string | undefined): void => {
  if (subject === undefined) return;
  // Current SNS: UTF-8, no line breaks or control characters, at most 100 characters.
  if (subject.trim() === '' || [...subject].length > 100 || /[\p{Cc}\u2028\u2029]/u.test(subject)) {
    throw invalidParameter('Invalid parameter: Subject');
  }
};

// The transport protocols (and mobile platforms) a MessageStructure=json body can address.
const PROTOCOL_KEYS = new Set([
  'default',
  'email',
  'email-json',
  'http',
  'https',
  'sqs',
  'sms',
  'lambda',
  'firehose',
  'application',
  'APNS',
  'APNS_SANDBOX',
  'APNS_VOIP',
  'APNS_VOIP_SANDBOX',
  'MACOS',
  'MACOS_SANDBOX',
  'GCM',
  'ADM',
  'BAIDU',
  'MPNS',
  'WNS',
]);

export const parseStructured = (message: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
  }
  if (!isObject(parsed) || typeof parsed.default !== 'string') {
    throw invalidParameter(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
  }
  // API_Publish: "Keys in the JSON object that correspond to supported transport protocols must
  // have simple JSON string values ... Keys that do not correspond to supported transport protocols
  // are ignored ... Failure to parse or validate any key or value in the message will cause the
  // Publish call to return an error (no partial delivery)."
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!PROTOCOL_KEYS.has(key)) continue;
    if (typeof value !== 'string')
      throw invalidParameter(
        `Invalid parameter: Message Structure - JSON message body failed to parse: the value of ${key} is not a string`,
      );
    out[key] = value;
  }
  return out;
};

export const checkAttributes = (
  raw: JsonObject | undefined,
): Record<string, SnsMessageAttribute> => {
  const out: Record<string, SnsMessageAttribute> = {};
  // SNS sets no count: attributes only count toward the message size. (Only raw message
  // delivery to SQS subscriptions stops at 10: sns-message-attributes.html.)
  const entries = Object.entries(raw ?? {});
  for (const [name, value] of entries) {
    const attr = isObject(value) ? value : {};
    const dataType = typeof attr.DataType === 'string' ? attr.DataType : '';
    if (!/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
      throw invalidValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const stringValue = typeof attr.StringValue === 'string' ? attr.StringValue : undefined;
    const binaryValue = typeof attr.BinaryValue === 'string' ? attr.BinaryValue : undefined;
    const kind = dataType.split('.')[0] ?? '';
    if (kind === 'Binary' ? !binaryValue : !stringValue) {
      throw invalidValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${kind}'.`,
      );
    }
    if (kind === 'Number' && !Number.isFinite(Number(stringValue))) {
      throw invalidValue(`Could not cast message attribute '${name}' value to number.`);
    }
    out[name] = {
      DataType: dataType,
      ...(stringValue === undefined ? {} : { StringValue: stringValue }),
      ...(binaryValue === undefined ? {} : { BinaryValue: binaryValue }),
    };
  }
  return out;
};
