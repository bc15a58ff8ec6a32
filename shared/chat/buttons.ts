import * as v from 'valibot';
import type { ChatAction } from '#kernel/alerts/chat-actions.ts';
import type { ChatActionKind } from './config.ts';
import type { ThreadKey } from './threads/record.ts';

/**
 * What a button carries in its `value` (at most 2,000 characters, Block Kit's button element):
 * the action with its target, the thread it belongs to, and a snooze's length. Slack sends the
 * value back with the click; it is read as untrusted input all the same (checked by schema, the
 * target checked against the service's state before anything is done).
 */
interface AcknowledgeButton {
  kind: 'acknowledge';
  cluster?: string | undefined;
  service?: string | undefined;
}

interface ButtonValue {
  thread: ThreadKey;
  /** Acknowledge names the thread's cluster and service (when it has them), for who may press it. */
  action: ChatAction | AcknowledgeButton;
  /** Snooze only: for how long. */
  minutes?: number | undefined;
}

const MAX_VALUE = 2_000;
const name = () => v.pipe(v.string(), v.minLength(1), v.maxLength(255));
const arn = () => v.pipe(v.string(), v.maxLength(2048), v.startsWith('arn:'));
const target = {
  account: v.pipe(v.string(), v.regex(/^\d{12}$/)),
  region: v.pipe(v.string(), v.regex(/^[a-z]{2}(-[a-z]+)+-\d$/)),
  cluster: name(),
  service: name(),
};

const actionSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('rollback'),
    ...target,
    deploymentId: name(),
    taskDefinition: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)),
    serviceDeploymentArn: v.optional(arn()),
  }),
  v.strictObject({
    kind: v.picklist(['approve', 'reject']),
    ...target,
    deploymentId: v.optional(name()),
    serviceDeploymentArn: arn(),
    hookId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  }),
  v.strictObject({
    kind: v.literal('snooze'),
    ...target,
    alert: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
    label: v.pipe(v.string(), v.maxLength(256)),
  }),
  v.strictObject({
    kind: v.literal('acknowledge'),
    cluster: v.optional(name()),
    service: v.optional(name()),
  }),
]);

const valueSchema = v.strictObject({
  v: v.literal(1),
  c: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  t: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  a: actionSchema,
  m: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7 * 24 * 60))),
});

/** The value of a button, or undefined when it would not fit Block Kit's 2,000 characters. */
const encodeButton = (value: ButtonValue): string | undefined => {
  const text = JSON.stringify({
    v: 1,
    c: value.thread.channel,
    t: value.thread.threadId,
    a: value.action,
    ...(value.minutes === undefined ? {} : { m: value.minutes }),
  });
  return text.length <= MAX_VALUE ? text : undefined;
};

/** A button's value read back, or undefined when it is not one of Harbormaster's. */
const decodeButton = (text: string): ButtonValue | undefined => {
  if (text.length > MAX_VALUE) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(valueSchema, json);
  if (!parsed.success) return undefined;
  const { c, t, a, m } = parsed.output;
  return { thread: { channel: c, threadId: t }, action: a as ButtonValue['action'], minutes: m };
};

/** The action id of a button (unique within its message). */
const actionIdOf = (kind: ChatActionKind, minutes?: number): string =>
  minutes === undefined ? `harbormaster.${kind}` : `harbormaster.${kind}.${minutes}`;

/** What a button closes once done: the same action on the same thing shows no more. */
const closesKey = (action: ButtonValue['action']): string => {
  switch (action.kind) {
    case 'rollback':
      return `rollback#${action.deploymentId}`;
    case 'approve':
    case 'reject':
      return `pause#${action.hookId}`;
    case 'snooze':
      return `snooze#${action.alert}`;
    case 'acknowledge':
      return 'acknowledge';
  }
};

export {
  type AcknowledgeButton,
  actionIdOf,
  type ButtonValue,
  closesKey,
  decodeButton,
  encodeButton,
};
