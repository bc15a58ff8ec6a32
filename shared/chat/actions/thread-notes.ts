import type { OnceContext } from '#kernel/lease/run-once.ts';
import type { ActionContext, ActionRunner } from '#kernel/runner.ts';
import type { ChannelContext } from '../channel.ts';
import type { SnoozeStore } from '../ports.ts';
import { clock, mention } from '../slack/mrkdwn.ts';
import { flushThread } from '../threads/flush.ts';
import { type ThreadKey, type ThreadNote, type ThreadRecord, withNote } from '../threads/record.ts';
import { updateThread } from '../threads/update.ts';
import { type ClickResponder, tellOnce } from './answers.ts';

/**
 * What people did from a thread's buttons, written where everyone sees it: a note on the parent
 * (which closes the button it came from) and the same line as a reply in the thread. Each note's
 * id is the click's, so a retried invocation never writes it twice; the log gets who, what and
 * when. Each runner posts what the thread then holds, under the thread's leases (threads/flush.ts).
 */

type ThreadContext = ChannelContext;
type ThreadPorts = { threads: ThreadContext };

/** The invocation and the kernel's leases of an action's context, for the posts it makes. */
const onceOf = (context: ActionContext<unknown>): OnceContext => ({
  leases: context.leases,
  invocation: context.invocation,
  clock: context.clock,
});

const post = async (key: ThreadKey, context: ActionContext<ThreadPorts>): Promise<string> =>
  flushThread(key, { ...context.ports.threads, once: onceOf(context) });

/** Write a note on the thread (and as a reply): a click's outcome, or that it is under way. */
interface NoteThreadAction {
  type: 'note-thread';
  thread: ThreadKey;
  note: ThreadNote;
}

const noteThreadRunner: ActionRunner<NoteThreadAction, ThreadPorts> = {
  effect: true,
  permissions: [],
  describe: (action) => `note in thread ${action.thread.threadId}: ${action.note.text}`,
  run: async (action, context) => {
    const { ports, telemetry, now } = context;
    await updateThread(ports.threads.store, action.thread, (current) =>
      current ? withNote(current, action.note, { reply: true, now }) : current,
    );
    telemetry.log.info('Chat action noted', {
      thread: action.thread.threadId,
      note: action.note.text,
    });
    return {
      status: 'done',
      detail: `${action.note.text} (${await post(action.thread, context)})`,
    };
  },
};

/** Acknowledge a thread's error, once: a second click is told who acknowledged it and when. */
interface AcknowledgeAction {
  type: 'acknowledge';
  thread: ThreadKey;
  clickId: string;
  user: { id: string; name: string };
  responseUrl: string;
  at: string;
}

const acknowledgeRunner: ActionRunner<
  AcknowledgeAction,
  ThreadPorts & { responder: ClickResponder }
> = {
  effect: true,
  permissions: [],
  describe: (action) => `acknowledge thread ${action.thread.threadId} for ${action.user.name}`,
  run: async (action, context) => {
    const { ports, telemetry, now } = context;
    const by = mention(action.user.id);
    let earlier: ThreadRecord['acknowledged'];
    await updateThread(ports.threads.store, action.thread, (current) => {
      earlier = current?.acknowledged;
      if (!current || earlier) return current;
      const note: ThreadNote = {
        id: `click#${action.clickId}`,
        at: action.at,
        text: `Acknowledged by ${by} at ${clock(action.at)}`,
        closes: 'acknowledge',
      };
      return {
        ...withNote(current, note, { reply: true, now }),
        acknowledged: { by, at: action.at },
      };
    });
    // A retry of this very click finds its own acknowledgement and carries on.
    if (earlier && (earlier.by !== by || earlier.at !== action.at)) {
      const text = `Already acknowledged by ${earlier.by} at ${clock(earlier.at)}.`;
      await tellOnce(context, { id: action.clickId, responseUrl: action.responseUrl }, text);
      return { status: 'skipped', detail: text };
    }
    telemetry.log.info('Chat action carried out', {
      action: 'acknowledge',
      user: action.user.id,
      thread: action.thread.threadId,
      at: action.at,
    });
    await post(action.thread, context);
    return { status: 'done', detail: `acknowledged by ${action.user.name}` };
  },
};

/** Silence an alert of a service until `until`, unless a longer snooze is in force. */
interface SnoozeAction {
  type: 'snooze';
  thread: ThreadKey;
  clickId: string;
  user: { id: string; name: string };
  responseUrl: string;
  key: string;
  label: string;
  closes: string;
  at: string;
  until: string;
}

const snoozeRunner: ActionRunner<
  SnoozeAction,
  ThreadPorts & { responder: ClickResponder; snoozes: SnoozeStore }
> = {
  effect: true,
  permissions: [],
  describe: (action) => `snooze ${action.label} until ${action.until} for ${action.user.name}`,
  run: async (action, context) => {
    const { ports, telemetry, now } = context;
    const by = mention(action.user.id);
    const set = await ports.snoozes.extend(
      { key: action.key, label: action.label, until: action.until, by, at: action.at },
      now,
    );
    if (!set) {
      const current = await ports.snoozes.active(action.key, now);
      // A retry of this very click finds its own snooze: carry on to the note.
      if (current?.by !== by || current.at !== action.at) {
        const text = current
          ? `Already snoozed until ${clock(current.until)} by ${current.by}.`
          : 'Not snoozed: try again.';
        await tellOnce(context, { id: action.clickId, responseUrl: action.responseUrl }, text);
        return { status: 'skipped', detail: text };
      }
    }
    const note: ThreadNote = {
      id: `click#${action.clickId}`,
      at: action.at,
      text: `${action.label} snoozed by ${by} until ${clock(action.until)}`,
      closes: action.closes,
    };
    await updateThread(ports.threads.store, action.thread, (current) =>
      current ? withNote(current, note, { reply: true, now }) : current,
    );
    telemetry.log.info('Chat action carried out', {
      action: 'snooze',
      user: action.user.id,
      alert: action.key,
      until: action.until,
      at: action.at,
    });
    await post(action.thread, context);
    return { status: 'done', detail: note.text };
  },
};

/** Post what a thread holds back (the sweep of threads Slack held back, or whose poster died). */
interface FlushThreadAction {
  type: 'flush-thread';
  thread: ThreadKey;
}

const flushThreadRunner: ActionRunner<FlushThreadAction, ThreadPorts> = {
  effect: true,
  permissions: [],
  describe: (action) => `post what thread ${action.thread.threadId} holds back`,
  run: async (action, context) => {
    const outcome = await post(action.thread, context);
    return { status: outcome === 'posted' ? 'done' : 'skipped', detail: outcome };
  },
};

export {
  type AcknowledgeAction,
  acknowledgeRunner,
  type FlushThreadAction,
  flushThreadRunner,
  type NoteThreadAction,
  noteThreadRunner,
  onceOf,
  type SnoozeAction,
  snoozeRunner,
  type ThreadContext,
  type ThreadPorts,
};
