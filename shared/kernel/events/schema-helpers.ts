import * as v from 'valibot';
import type { FieldIssue } from '../errors.ts';

// Valibot builds a schema from plain functions and objects: a fraction of what zod/mini costs to
// construct (measured in README, "Why each dependency"), which a Lambda pays at every cold start.

/** Builds a schema on first use, so a function pays only for the event kinds it parses. */
const lazy = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
};

/** A bounded string: real event fields are short, and a bound keeps hostile input cheap. */
const text = (max = 2048) => v.pipe(v.string(), v.maxLength(max));

/** An optional field (with a default when given one: the default is validated like input). */
const opt = v.optional;

/** An array of at most `max` items. */
const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.maxLength(max));

/** An integer between `min` and `max`. */
const int = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** An ISO-8601 timestamp as ECS, CloudWatch and EventBridge write them (any fraction, Z or offset). */
const timestamp = () =>
  v.pipe(
    v.string(),
    v.maxLength(64),
    v.check((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO-8601 timestamp'),
  );

/** An ARN-shaped string. */
const arn = () => v.pipe(v.string(), v.maxLength(2048), v.startsWith('arn:', 'expected an ARN'));

/** The severity ECS gives service and deployment events. */
const eventType = () => v.picklist(['INFO', 'WARN', 'ERROR']);

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

const LIMITS: ReadonlyMap<string, string> = new Map([
  ['min_value', 'too small'],
  ['max_value', 'too big'],
  ['min_length', 'too short'],
  ['max_length', 'too long'],
]);

const count = (n: number, unit: string): string =>
  `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;

/**
 * What was received, by its type and size but never its content: event text may carry a secret
 * (a plaintext password in a container override) or be huge, and log lines are kept for months.
 */
const describeInput = (input: unknown): string => {
  if (input === null) return 'null';
  if (typeof input === 'string') return `a string of ${count(input.length, 'character')}`;
  if (Array.isArray(input)) return `an array of ${count(input.length, 'item')}`;
  if (typeof input === 'object') return 'an object';
  return `a ${typeof input}`;
};

// Configuration is written by the operator, and a value echoed back helps them fix it; still bounded.
const echoInput = (issue: v.BaseIssue<unknown>): string =>
  issue.received.length <= 64 ? issue.received : describeInput(issue.input);

/**
 * One issue in words that name what was expected, without valibot's generic prefix. With `echo`,
 * short received values are quoted (configuration); without, only their type and size (events).
 */
const messageOf = (issue: v.BaseIssue<unknown>, echo: boolean): string => {
  if (issue.kind === 'schema' && issue.expected === 'never') return 'unknown field';
  if (issue.kind === 'schema' && issue.received === 'undefined') return 'required';
  // A message given where the schema was written is kept; valibot's own is rephrased.
  if (!/^Invalid \w+: Expected /.test(issue.message)) return issue.message;
  const limit = LIMITS.get(issue.type);
  // A choice reads `("a" | "b")`: say it as a list.
  const expectedText = issue.expected ?? '';
  const choices =
    expectedText.startsWith('(') && expectedText.endsWith(')')
      ? expectedText.slice(1, -1).split(' | ')
      : undefined;
  const wanted = choices
    ? `one of ${choices.join(', ')}`
    : (issue.expected ?? 'another value').replace(
        /^(Array|Object)$/,
        (type) => `an ${type.toLowerCase()}`,
      );
  const received = echo ? echoInput(issue) : describeInput(issue.input);
  const expected = `expected ${wanted}, received ${received}`;
  return limit ? `${limit}: ${expected}` : expected;
};

// Paths are built from the schema's own keys and array indexes; bounded all the same.
const MAX_PATH = 256;

/**
 * Turns valibot issues into field issues named by dotted path, e.g. `detail.containers[0].exitCode`.
 * Received values are described by type and size unless `echo` (configuration files) is set.
 */
const toFieldIssues = (
  issues: readonly v.BaseIssue<unknown>[],
  options: { echo?: boolean } = {},
): FieldIssue[] =>
  issues
    .flatMap((issue) =>
      // A union reports why each option failed; the option's own issues name the field.
      issue.type === 'union' && issue.issues ? issue.issues : [issue],
    )
    .slice(0, 20)
    .map((issue) => ({
      path: formatPath((issue.path ?? []).map((item) => item.key as PropertyKey)).slice(
        0,
        MAX_PATH,
      ),
      message: messageOf(issue, options.echo ?? false),
    }));

/**
 * Adds an issue at a path below the value a rawCheck sees (a cross-field check, such as two
 * policies with one name), so that it is reported under the field it concerns.
 */
const issueAt = (
  context: { dataset: { value: unknown }; addIssue: (info: object) => void },
  path: readonly (string | number)[],
  message: string,
): void => {
  let input = context.dataset.value;
  const items = path.map((key) => {
    const value = (input as Record<string | number, unknown> | undefined)?.[key];
    const item = { type: 'unknown' as const, origin: 'value' as const, input, key, value };
    input = value;
    return item;
  });
  context.addIssue({ message, ...(items.length > 0 ? { path: items } : {}) });
};

/**
 * A schema with a check across its fields (a refinement): `check` reports each problem at a
 * path below the value, so that it is named by the field it concerns. It runs once the value has
 * passed the schema.
 */
const refined = <S extends v.GenericSchema>(
  schema: S,
  check: (
    value: v.InferOutput<S>,
    report: (path: readonly (string | number)[], message: string) => void,
  ) => void,
) =>
  v.pipe(
    schema,
    v.rawCheck<v.InferOutput<S>>((context) => {
      // Valibot runs a raw check even on a value that failed the schema; this one reads its fields.
      if (context.dataset.typed)
        check(context.dataset.value, (path, message) => issueAt(context, path, message));
    }),
  );

export {
  arn,
  describeInput,
  envelope,
  eventType,
  formatPath,
  int,
  issueAt,
  lazy,
  list,
  opt,
  refined,
  text,
  timestamp,
  toFieldIssues,
};
