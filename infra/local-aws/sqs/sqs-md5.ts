import { createHash } from 'node:crypto';

/** An SQS message attribute. */
export interface SqsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** Hex MD5 of a message body (what SendMessage/ReceiveMessage report and the SDK verifies). */
export const md5Hex = (text: string): string =>
  createHash('md5').update(text, 'utf8').digest('hex');

const lengthPrefixed = (bytes: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/** MD5 of message attributes, computed with SQS's documented binary encoding. */
export const md5OfAttributes = (
  attributes: Record<string, SqsMessageAttribute>,
): string | undefined => {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const attr = attributes[name];
    if (attr === undefined) continue;
    const binary = attr.DataType.startsWith('Binary');
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(lengthPrefixed(Buffer.from(attr.DataType, 'utf8')));
    parts.push(Buffer.from([binary ? 2 : 1]));
    parts.push(
      lengthPrefixed(
        binary
          ? Buffer.from(attr.BinaryValue ?? '', 'base64')
          : Buffer.from(attr.StringValue ?? '', 'utf8'),
      ),
    );
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
};
