import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';
import type { FieldIssue } from '../core/errors.ts';

// zod/mini keeps bundles small (a fraction of classic zod: faster cold starts); it needs its
// English messages loaded explicitly.
z.config(en());

/** Builds a schema on first use, so a function pays only for the event kinds it parses. */
const lazy = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
};

/** A bounded string: real event fields are short, and a bound keeps hostile input cheap. */
const text = (max = 2048) => z.string().check(z.maxLength(max));

/** An optional field. */
const opt = z.optional;

/** An array of at most `max` items. */
const list = <T extends z.ZodMiniType>(item: T, max: number) =>
  z.array(item).check(z.maxLength(max));

/** An ISO-8601 timestamp as ECS, CloudWatch and EventBridge write them (any fraction, Z or offset). */
const timestamp = () =>
  text(64).check(
    z.refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO-8601 timestamp'),
  );

/** An ARN-shaped string. */
const arn = () => text(2048).check(z.startsWith('arn:', 'expected an ARN'));

/** The severity ECS gives service and deployment events. */
const eventType = () => z.enum(['INFO', 'WARN', 'ERROR']);

/** The EventBridge envelope. Fields the documentation marks as always present are optional here
 * because trimmed real captures omit them; the parser derives what it needs and names what is missing. */
const envelope = () => ({
  version: opt(text(16)),
  id: opt(text(256)),
  'detail-type': text(256),
  source: text(256),
  account: opt(text(32)),
  time: opt(timestamp()),
  region: opt(text(64)),
  resources: opt(list(text(), 100)),
});

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');

/** Turns zod issues into field issues named by dotted path, e.g. `detail.containers[0].exitCode`. */
const toFieldIssues = (error: z.core.$ZodError): FieldIssue[] =>
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

export { arn, envelope, eventType, formatPath, lazy, list, opt, text, timestamp, toFieldIssues };
