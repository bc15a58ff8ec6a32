import * as z from 'zod';
import type { FieldIssue } from '../core/errors.ts';

/** An ISO-8601 timestamp as ECS, CloudWatch and EventBridge write them (any fraction, Z or offset). */
const timestamp = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO-8601 timestamp');

/** A bounded string: real event fields are short, and a bound keeps hostile input cheap. */
const text = (max = 2048) => z.string().max(max);

/** An ARN-shaped string. */
const arn = z.string().max(2048).startsWith('arn:', 'expected an ARN');

/** The EventBridge envelope. Fields the documentation marks as always present are optional here
 * because trimmed real captures omit them; the parser derives what it needs and names what is missing. */
const envelope = {
  version: z.string().max(16).optional(),
  id: text(256).optional(),
  'detail-type': text(256),
  source: text(256),
  account: text(32).optional(),
  time: timestamp.optional(),
  region: text(64).optional(),
  resources: z.array(text()).max(100).optional(),
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');

/** Turns zod issues into field issues named by dotted path, e.g. `detail.containers[0].exitCode`. */
const toFieldIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: formatPath([...issue.path, key]),
            message: 'unknown field',
          }))
        : [{ path: formatPath(issue.path), message: issue.message }],
    )
    .slice(0, 20);

export { arn, envelope, formatPath, text, timestamp, toFieldIssues };
