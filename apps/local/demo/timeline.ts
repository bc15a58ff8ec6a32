import type { Invocation } from '../lambda/local-lambda.ts';
import type { LocalStack } from '../lambda/local-stack.ts';
import { describeEvent } from './describe-event.ts';
import { slackAsText, unescapeSlack } from './render-slack.ts';

/** One line of the timeline: what happened, when (simulated), and who did it. */
interface TimelineEntry {
  at: string;
  source: 'scenario' | 'ecs' | 'scheduler' | 'harbormaster' | 'sns' | 'slack' | 'slack-app';
  text: string;
  details: string[];
}

type Json = Record<string, unknown>;

const time = (iso: string): string => iso.slice(11, 19);

// A reply of a Slack app thread shows this many lines in the timeline; console links not at all.
const REPLY_LINES = 3;
const LINK_LINE = /\(https?:\/\/[^\s)]*\)$/;

// A scheduled invocation that found nothing to do (the batch jobs' one-minute check, mostly).
const isQuietCheck = (invocation: Invocation): boolean =>
  !invocation.error &&
  invocation.result?.outcome === 'ignored' &&
  (invocation.event as { 'detail-type'?: unknown } | undefined)?.['detail-type'] ===
    'Scheduled Event';

/** A lifecycle hook's answer to ECS, and the decision behind it (its last "Decided" log line). */
const answerOf = (stack: LocalStack, invocation: Invocation): string | undefined => {
  const answer = invocation.result as { hookStatus?: string; callBackDelay?: number } | undefined;
  if (!answer?.hookStatus) return undefined;
  const decided = stack.lambda.telemetry[invocation.function]?.lines
    .filter((l) => l.message === 'Decided')
    .at(-1)?.extra.reason;
  const again = answer.callBackDelay === undefined ? '' : ` (again in ${answer.callBackDelay} s)`;
  return `answered ${answer.hookStatus}${again}${decided ? ` \u2014 ${String(decided)}` : ''}`;
};

const outcomeOf = (invocation: Invocation): string => {
  if (invocation.error)
    return `failed (attempt ${invocation.attempt}): ${invocation.error.name}: ${invocation.error.message}`;
  const result = invocation.result;
  if (!result) return 'no result';
  const actions = result.actions.map((a) => `${a.type}: ${a.detail}`).join('; ');
  return `${result.outcome} \u2014 ${result.reason}${actions ? ` [${actions}]` : ''}`;
};

/** A function URL's answer (an HTTP response, not an invocation result), with what was decided. */
const httpOutcomeOf = (invocation: Invocation, stack: LocalStack): string | undefined => {
  const answer = invocation.result as unknown as { statusCode?: unknown; body?: string };
  if (typeof answer?.statusCode !== 'number') return undefined;
  const requestId = (invocation.event as { requestContext?: { requestId?: string } }).requestContext
    ?.requestId;
  const decided = stack.lambda.telemetry[invocation.function]?.lines.findLast(
    (line) => line.message === 'Decided' && line.keys.eventId === requestId,
  );
  const reason = decided ? ` \u2014 ${String(decided.extra.reason)}` : '';
  return `answered HTTP ${answer.statusCode}${reason}`;
};

/**
 * Prints, in simulated time, what ECS did, what Harbormaster decided and why, and each alert as SNS
 * (email subject, chat title) and Slack show it. With `json`, one JSON object per line instead.
 */
class Timeline {
  readonly entries: TimelineEntry[] = [];
  readonly #stack: LocalStack;
  readonly #write: (line: string) => void;
  readonly #json: boolean;
  #snsSeen = 0;
  #slackSeen = 0;
  /** While set, ECS events and invocations are counted by the scenario, not printed one by one. */
  #quiet = false;

  constructor(stack: LocalStack, options: { json: boolean; write: (line: string) => void }) {
    this.#stack = stack;
    this.#json = options.json;
    this.#write = options.write;
    // Only what happens from now on: the account was seeded before the timeline started.
    this.#snsSeen = stack.local.sns.messages(stack.topicArn).length;
    this.#slackSeen = stack.local.slack.delivered().length;
    stack.local.onEvent((event) => {
      if (this.#quiet) return;
      const text = describeEvent(event);
      if (text) this.#add('ecs', text);
    });
    stack.local.scheduler.onInvoke((_target, payload) => {
      const name = payload.resources[0].split('/').pop() ?? '';
      // The one-minute check of batch jobs is bookkeeping; its invocations show when they act.
      if (name !== '_sweep')
        this.#add('scheduler', `schedule ${name} fired (scheduled time ${payload.time})`);
    });
    stack.lambda.onInvocation((invocation) => {
      if (isQuietCheck(invocation)) return;
      // The guard's one-minute sweep is news only when something was due.
      const sweep = (invocation.event as Json)['detail-type'] === 'Scheduled Event';
      if (sweep && invocation.result?.outcome === 'ignored') return;
      if (this.#quiet) {
        this.#alertsSince();
        return;
      }
      const outcome =
        answerOf(stack, invocation) ?? httpOutcomeOf(invocation, stack) ?? outcomeOf(invocation);
      this.#add('harbormaster', `${invocation.function}: ${outcome}`);
      this.#alertsSince();
    });
  }

  /**
   * Plays `work` printing only alerts (SNS, Slack): for storms of thousands of events, which the
   * scenario then sums up itself.
   */
  async quietly<T>(work: () => Promise<T>): Promise<T> {
    this.#quiet = true;
    try {
      return await work();
    } finally {
      this.#quiet = false;
    }
  }

  /** A scenario heading or narration line. */
  note(text: string, details: string[] = []): void {
    this.#add('scenario', text, details);
  }

  /** Something that happened in the Slack app's channels (a click, an answer only its clicker sees). */
  slack(text: string, details: string[] = []): void {
    this.#add('slack-app', text, details);
  }

  /** Slack text (mrkdwn) as a reader sees it: mentions by name, links and escapes undone. */
  slackText(text: string): string {
    return unescapeSlack(text, this.#nameOf);
  }

  /**
   * A Slack app thread as the channel shows it now: the parent message in its final state (and
   * how often it was edited), then each reply in order, shortened to its first lines (console
   * links left out) to stay readable in a terminal.
   */
  slackThread(channel: string, ts: string): void {
    const slack = this.#stack.local.slack;
    const { parent, replies } = slack.thread(channel, ts);
    const name = slack.workspace.channels.get(channel)?.name ?? channel;
    const edits = parent.versions.length - 1;
    this.#add(
      'slack-app',
      `Thread in #${name}: the parent as it stands (${edits} edit${edits === 1 ? '' : 's'}) and ${replies.length} replies`,
      [
        ...slackAsText(parent, this.#nameOf).map((line) => `| ${line}`),
        ...replies.flatMap((reply) => {
          const lines = slackAsText(reply, this.#nameOf).filter((l) => !LINK_LINE.test(l));
          const shown = lines.slice(0, REPLY_LINES);
          const more = lines.length - shown.length;
          return [...shown, ...(more > 0 ? [`\u2026 (${more} more lines)`] : [])].map(
            (line, i) => `${i === 0 ? '  \u21b3 ' : '    '}${line}`,
          );
        }),
      ],
    );
  }

  readonly #nameOf = (id: string): string | undefined =>
    this.#stack.local.slack.workspace.users.get(id)?.name;

  #alertsSince(): void {
    const sns = this.#stack.local.sns.messages(this.#stack.topicArn);
    for (const message of sns.slice(this.#snsSeen)) {
      const chat = JSON.parse((JSON.parse(message.message) as { default: string }).default) as Json;
      const attributes = Object.entries(message.messageAttributes)
        .map(([name, value]) => `${name}=${value.StringValue}`)
        .join(' ');
      this.#add('sns', `Subject: ${message.subject}`, [
        `Chat: ${String((chat.content as Json).title)} (thread ${String((chat.metadata as Json).threadId)})`,
        `Attributes: ${attributes}`,
      ]);
    }
    this.#snsSeen = sns.length;
    const posts = this.#stack.local.slack.delivered();
    for (const post of posts.slice(this.#slackSeen)) {
      const [title = '', ...rest] = slackAsText(post);
      this.#add('slack', title, rest);
    }
    this.#slackSeen = posts.length;
  }

  #add(source: TimelineEntry['source'], text: string, details: string[] = []): void {
    const entry = { at: this.#stack.local.clock.now().toISOString(), source, text, details };
    this.entries.push(entry);
    if (this.#json) {
      this.#write(JSON.stringify(entry));
      return;
    }
    if (source === 'scenario') {
      this.#write('');
      this.#write(`== ${text}`);
      for (const line of details) this.#write(`   ${line}`);
      return;
    }
    const label = {
      ecs: 'ECS',
      scheduler: 'SCHEDULER',
      harbormaster: 'HARBORMASTER',
      sns: 'SNS',
      slack: 'SLACK',
      'slack-app': 'SLACK APP',
    }[source];
    this.#write(`${time(entry.at)}  ${label.padEnd(12)} ${text}`);
    for (const line of details) this.#write(`${' '.repeat(23)}${line}`);
  }
}

export { Timeline, type TimelineEntry };
