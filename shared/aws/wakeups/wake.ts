import type { ActionRunner } from '#kernel/runner.ts';
import type { WakeupPort } from './port.ts';

/** Invoke this function again at `at`, when something of its own falls due. */
interface WakeAction {
  type: 'wake';
  at: string;
  /** What falls due then, in words (for the dry-run and the log). */
  why: string;
  /** An item's own wake-up (it may be cancelled); without, one shared by everything due then. */
  key?: string;
}

/** Cancel an item's wake-up: what it was for ended first. */
interface CancelWakeAction {
  type: 'cancel-wake';
  at: string;
  key: string;
  why: string;
}

type WakePorts = { wakeups: WakeupPort };

/**
 * Sets a wake-up. Safe to repeat without a lease: the schedule's name is the function and the
 * minute, and a second CreateSchedule of it is refused as a conflict. A wake-up that is lost
 * (this call failing for good, Scheduler dropping it) delays what was due until the backstop
 * sweep, never past it.
 */
const wakeRunner: ActionRunner<WakeAction, WakePorts> = {
  permissions: ['scheduler:CreateSchedule', 'iam:PassRole'],
  describe: (action) => `wake up at ${action.at} (${action.why})`,
  run: async (action, { ports, now }) => {
    const { outcome, minute } = await ports.wakeups.wakeAt(new Date(action.at), now, action.key);
    if (outcome === 'off')
      return { status: 'skipped', detail: `no wake-up set for ${minute}: not set from here` };
    return outcome === 'created'
      ? { status: 'done', detail: `wake-up set for ${minute}` }
      : { status: 'skipped', detail: `wake-up for ${minute} already set` };
  },
};

/**
 * Cancels an item's wake-up. Safe to repeat: a wake-up already gone (fired, cancelled) is a
 * success. A cancel that is lost costs one invocation that finds nothing due.
 */
const cancelWakeRunner: ActionRunner<CancelWakeAction, WakePorts> = {
  permissions: ['scheduler:DeleteSchedule'],
  describe: (action) => `cancel the wake-up at ${action.at} (${action.why})`,
  run: async (action, { ports }) => {
    const outcome = await ports.wakeups.cancel(new Date(action.at), action.key);
    return outcome === 'deleted'
      ? { status: 'done', detail: 'wake-up cancelled' }
      : { status: 'skipped', detail: 'no wake-up left to cancel' };
  },
};

/** Wake actions for these due times: one per minute (and item key), the earliest reason kept. */
const wakesFor = (due: readonly { at: string; why: string; key?: string }[]): WakeAction[] => {
  const byMinute = new Map<string, WakeAction>();
  for (const { at, why, key } of due) {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) continue;
    const id = `${Math.ceil(ms / 60_000)}/${key ?? ''}`;
    if (!byMinute.has(id)) byMinute.set(id, { type: 'wake', at, why, ...(key ? { key } : {}) });
  }
  return [...byMinute.values()];
};

export {
  type CancelWakeAction,
  cancelWakeRunner,
  type WakeAction,
  type WakePorts,
  wakeRunner,
  wakesFor,
};
