import type { ActionRunner } from '#kernel/runner.ts';
import type { WakeupPort } from './port.ts';

/** Invoke this function again at `at`, when something of its own falls due. */
interface WakeAction {
  type: 'wake';
  at: string;
  /** What falls due then, in words (for the dry-run and the log). */
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
    const { outcome, minute } = await ports.wakeups.wakeAt(new Date(action.at), now);
    return outcome === 'created'
      ? { status: 'done', detail: `wake-up set for ${minute}` }
      : { status: 'skipped', detail: `wake-up for ${minute} already set` };
  },
};

/** Wake actions for these due times: one per minute, the earliest reason kept. */
const wakesFor = (due: readonly { at: string; why: string }[]): WakeAction[] => {
  const byMinute = new Map<number, WakeAction>();
  for (const { at, why } of due) {
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) continue;
    const minute = Math.ceil(ms / 60_000);
    if (!byMinute.has(minute)) byMinute.set(minute, { type: 'wake', at, why });
  }
  return [...byMinute.values()];
};

export { type WakeAction, type WakePorts, wakeRunner, wakesFor };
