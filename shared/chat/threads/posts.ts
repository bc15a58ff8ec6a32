import { createHash } from 'node:crypto';
import { type OnceContext, runOnce } from '#kernel/lease/run-once.ts';
import type { PostedMessage } from '../slack/web-api.ts';
import type { ThreadKey } from './record.ts';

/**
 * Each Slack post of a thread is a side effect done once under a kernel lease of its own
 * (kernel/lease/run-once.ts). A reply is marked `acting` right before it is posted: an attempt that
 * died after that point may have reached Slack, so the next holder counts it as posted
 * ('uncertain': never posted twice, counted ChatRepliesUncertain). A parent is repeatable instead:
 * a thread whose parent may not exist would show nowhere, so a holder that died posting it is
 * followed by a second post (at worst two parents, never none). A post done but not yet written
 * into the record (the write's answer lost) is found done, with the parent's `ts`.
 */

// Posts are remembered a day: far longer than Lambda's retries and the sweep's returns.
const KEEP_SECONDS = 24 * 60 * 60;

/** A lease key from parts of any length (thread ids and alert keys are long): hashed. */
const keyOf = (kind: string, key: ThreadKey, ...parts: string[]): string =>
  `${kind}#${createHash('sha256')
    .update([key.channel, key.threadId, ...parts].join('\n'))
    .digest('base64url')}`;

/** The right to post for a thread (one holder at a time, given back when done). */
const threadLeaseKey = (key: ThreadKey): string => keyOf('chat-thread', key);

/** Posts the thread's parent once: its channel and `ts`. */
const postParent = async (
  key: ThreadKey,
  ctx: { once: OnceContext },
  post: () => Promise<PostedMessage>,
): Promise<PostedMessage> => {
  const outcome = await runOnce(
    { key: keyOf('chat-parent', key), keepSeconds: KEEP_SECONDS, repeatable: true, act: post },
    ctx.once,
  );
  // Repeatable: never uncertain.
  if (outcome.status === 'uncertain') throw new Error('a repeatable post cannot be uncertain');
  return outcome.result;
};

/** The lease of the reply carrying the outbox entries `ids`. */
const replyLeaseKey = (key: ThreadKey, ids: readonly string[]): string =>
  keyOf('chat-reply', key, ...ids);

/** Posts a reply carrying the outbox entries `ids`, once: posted now, before, or uncertain. */
const postReply = async (
  key: ThreadKey,
  ids: readonly string[],
  ctx: { once: OnceContext },
  post: () => Promise<unknown>,
): Promise<'posted' | 'already' | 'uncertain'> => {
  const outcome = await runOnce(
    {
      key: replyLeaseKey(key, ids),
      keepSeconds: KEEP_SECONDS,
      act: async () => {
        await post();
        return true;
      },
    },
    ctx.once,
  );
  if (outcome.status === 'done') return 'posted';
  return outcome.status;
};

export { postParent, postReply, replyLeaseKey, threadLeaseKey };
