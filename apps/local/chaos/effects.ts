import { slackAsText } from '../demo/render-slack.ts';
import type { LocalStack } from '../lambda/local-stack.ts';

/** One kind of side effect the scenarios cause, and which functions may cause it. */
interface EffectKind {
  key: string;
  functions: readonly string[];
}

/** How often each side effect happened, by its key ("UpdateService prod/payments payments:2"...). */
type EffectCounts = Map<string, { count: number; functions: readonly string[] }>;

const ALERT_FUNCTIONS: Record<string, string[]> = {
  'deployment-guard': ['deployment-guard'],
  'deployment-event': ['deployment-guard'],
  'service-event': ['service-alerts'],
  'policy-violation': ['policy-enforcer'],
  'batch-run': ['batch-jobs'],
  'delivery-gate': ['deployment-hooks'],
  'delivery-approval': ['deployment-hooks'],
};
// Alerts about Harbormaster itself are the account's other columns, not side effects it expects.
const OWN_ALERTS = new Set(['dead-letter', 'handler-error']);
const short = (arn: string): string => arn.split('/').pop() ?? arn;
// Task ids differ from run to run, and how many failed tasks the first "failing" alert counts
// depends on the order events arrive in: an effect is named by what it did, not by those.
const stable = (text: string): string =>
  text.replace(/\b[0-9a-f]{12,32}\b/g, '<task>').replace(/\b\d+ tasks? failed\b/, '<n> failed');

// A Slack app reply is posted by the function whose alert it carries, or by chat-actions (a click's
// note, or the sweep of what Slack held back).
const SLACK_APP_POSTERS = [...new Set([...Object.values(ALERT_FUNCTIONS).flat(), 'chat-actions'])];
// What differs between runs in a note: deployment ids and the minute of a click.
const stableNote = (text: string): string =>
  stable(text)
    .replace(/ecs-svc\/\d+/g, 'ecs-svc/<id>')
    .replace(/\b\d\d:\d\d UTC\b/g, '<time>');

type Block = { type?: string; text?: { text?: string } };

/** The entries a Slack app reply carries: an alert's title, or each merged entry's first line. */
const replyEntries = (blocks: readonly Block[] | undefined, text: string): string[] => {
  const [first] = blocks ?? [];
  if (first?.type === 'header') return [(first.text?.text ?? '').replace(/^:[\w-]+: /, '')];
  const sections = (blocks ?? []).filter((b) => b.type === 'section' && b.text?.text);
  const lines = sections.map((b) => (b.text?.text ?? '').split('\n')[0] ?? '');
  return (lines.length > 0 ? lines : [text]).map((line) =>
    line.replace(/^\*(.*)\*$/, '$1').replace(/^:[\w-]+: /, ''),
  );
};

/**
 * Every entry the Slack app posted as a thread reply, by channel and text: Slack posts are side
 * effects done once under their leases (a parent's edits are not counted: an edit is safe to
 * repeat).
 */
const slackAppReplies = (stack: LocalStack): Map<string, number> => {
  const counts = new Map<string, number>();
  const { slack } = stack.local;
  // Ids of simulated users differ from run to run; their names do not.
  const named = (text: string) =>
    text.replace(/<@(\w+)>/g, (all, id: string) => {
      const name = slack.workspace.users.get(id)?.name;
      return name ? `@${name}` : all;
    });
  for (const channel of slack.workspace.channels.values())
    for (const parent of slack.history(channel.id))
      for (const reply of parent.replies)
        for (const entry of replyEntries(reply.blocks as Block[] | undefined, reply.text)) {
          // Alerts about Harbormaster itself are the account's other columns.
          if (/^Harbormaster harbormaster-/.test(entry)) continue;
          const key = `slack-app #${channel.name} ${stableNote(named(entry))}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
  return counts;
};

const add = (counts: EffectCounts, kind: EffectKind, by = 1): void => {
  const entry = counts.get(kind.key);
  counts.set(kind.key, { count: (entry?.count ?? 0) + by, functions: kind.functions });
};

/**
 * Every side effect the functions had on the simulated account, counted from the world: ECS calls
 * that succeeded (UpdateService, StopTask, TagResource, DeregisterTaskDefinition, by Harbormaster's
 * identities), the tasks its RunTask calls started, and the alerts each channel received. A
 * repeated call that changes nothing (StopTask on a stopping task) still counts: the account
 * counts what Harbormaster did, not only what it changed.
 */
const observeEffects = (stack: LocalStack): EffectCounts => {
  const counts: EffectCounts = new Map();
  const ecsCalls = stack.local.calls
    .list('ecs', undefined, 'harbormaster/')
    .filter((c) => c.status === 200);
  for (const call of ecsCalls) {
    const input = call.input as Record<string, string>;
    if (call.operation === 'UpdateService')
      add(counts, {
        key: `UpdateService ${input.cluster}/${input.service} ${short(input.taskDefinition ?? '')}`,
        // chat-actions: a person's "Roll back now".
        functions: ['deployment-guard', 'policy-enforcer', 'chat-actions'],
      });
    if (call.operation === 'StopTask')
      add(counts, {
        key: `StopTask (${input.reason ?? ''})`,
        functions: ['policy-enforcer', 'batch-jobs'],
      });
    if (call.operation === 'TagResource')
      add(counts, {
        key: `TagResource ${short(input.resourceArn ?? '')}`,
        functions: ['policy-enforcer'],
      });
    if (call.operation === 'DeregisterTaskDefinition')
      add(counts, {
        key: `DeregisterTaskDefinition ${short(input.taskDefinition ?? '')}`,
        functions: ['policy-enforcer'],
      });
  }
  const launched = stack.local.ecs.tasks().filter((t) => t.startedBy?.startsWith(`harbormaster/`));
  for (const task of launched)
    add(counts, { key: `RunTask task of ${task.startedBy}`, functions: ['batch-jobs'] });
  // Slack shows the same title as the SNS subject, behind an emoji instead of a [SEVERITY].
  const byTitle = new Map<string, string[]>();
  const own = new Set<string>();
  for (const message of stack.local.sns.messages(stack.topicArn)) {
    const kind = message.messageAttributes.kind?.StringValue ?? '';
    const title = stable((message.subject ?? '').replace(/^\[\w+\] /, ''));
    if (OWN_ALERTS.has(kind)) {
      own.add(title);
      continue;
    }
    byTitle.set(title, ALERT_FUNCTIONS[kind] ?? []);
    add(counts, { key: `sns ${title}`, functions: ALERT_FUNCTIONS[kind] ?? [] });
  }
  for (const body of stack.local.slack.delivered()) {
    const title = stable((slackAsText(body)[0] ?? '').replace(/^:[\w-]+: /, ''));
    if (own.has(title) || /^Harbormaster harbormaster-/.test(title)) continue;
    // SNS subjects are cut at 100 characters ("..."); Slack titles are whole.
    const functions =
      byTitle.get(title) ??
      [...byTitle].find(([t]) => t.endsWith('...') && title.startsWith(t.slice(0, -3)))?.[1] ??
      [];
    add(counts, { key: `slack ${title}`, functions });
  }
  for (const [key, count] of slackAppReplies(stack))
    add(counts, { key, functions: SLACK_APP_POSTERS }, count);
  return counts;
};

/** The functions a dead-letter alert was sent for (on any channel). */
const deadLetteredFunctions = (stack: LocalStack): Set<string> => {
  const names = new Set<string>();
  for (const message of stack.local.sns.messages(stack.topicArn)) {
    if (message.messageAttributes.kind?.StringValue !== 'dead-letter') continue;
    const name = /harbormaster-[\w]+-([\w-]+) failed after/.exec(message.subject ?? '')?.[1];
    if (name) names.add(name);
  }
  // A record parked in the dead-letter queue raises its queue-depth alarm (DeadLetterQueueNotEmpty,
  // infra/resources/dead-letters.yml) to the alert topic, also when the dead-letters function
  // itself failed every attempt and Lambda parked its record: each function the record names was
  // dead-lettered with an alert.
  const queue = stack.deadLetterQueue.split('/').at(-1) ?? '';
  for (const message of stack.local.sqs.messages(queue))
    for (const [, name] of message.body.matchAll(/:function:harbormaster-[\w]+-([\w-]+?)(?::|")/g))
      if (name) names.add(name);
  return names;
};

export { deadLetteredFunctions, type EffectCounts, observeEffects };
