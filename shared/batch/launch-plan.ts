import type { PlannedLaunch } from './actions/launch-job-tasks.ts';
import type { JobRun, LaunchRecord } from './records.ts';
import {
  chunkLaunchId,
  chunks,
  clientTokenFor,
  placementRetryId,
  retryLaunchId,
} from './run-ids.ts';
import type { SlotState } from './slots.ts';

const ms = (iso: string): number => new Date(iso).getTime();

/** Launches the run needs now: first chunks, RunTask again for unplaced slots, retries of failed tasks. */
const dueLaunches = (run: JobRun, slots: readonly SlotState[], now: Date): PlannedLaunch[] => {
  const planned: PlannedLaunch[] = [];
  const plan = (launchId: string, slotList: number[], attempt: number, placementTry: number) =>
    planned.push({
      launchId,
      slots: slotList,
      attempt,
      placementTry,
      clientToken: clientTokenFor(run.startedBy, launchId),
    });
  if (now.getTime() < ms(run.startWindowEndsAt)) {
    chunks(run.count).forEach((chunk, c) => {
      if (chunk.every((slot) => slots[slot]?.status === 'unlaunched'))
        plan(chunkLaunchId(c), chunk, 1, 0);
    });
  }
  const retried = new Set<string>();
  for (const slot of slots) {
    if (!slot.dueAt || slot.dueAt > now || !slot.launch) continue;
    if (slot.status === 'unplaced' && !retried.has(slot.launch.launchId)) {
      retried.add(slot.launch.launchId);
      const group = slots
        .filter((s) => s.status === 'unplaced' && s.launch?.launchId === slot.launch?.launchId)
        .map((s) => s.slot);
      const placementTry = slot.launch.placementTry + 1;
      plan(placementRetryId(slot.launch.launchId, placementTry), group, slot.attempt, placementTry);
    }
    if (slot.status === 'waiting')
      plan(retryLaunchId(slot.slot, slot.attempt + 1), [slot.slot], slot.attempt + 1, 0);
  }
  return planned;
};

/** First chunks that can no longer start because the start window closed (ECS was unavailable). */
const expiredChunks = (run: JobRun, slots: readonly SlotState[], now: Date): LaunchRecord[] =>
  now.getTime() < ms(run.startWindowEndsAt)
    ? []
    : chunks(run.count)
        .map((chunk, c) => ({ chunk, c }))
        .filter(({ chunk }) => chunk.every((slot) => slots[slot]?.status === 'unlaunched'))
        .map(({ chunk, c }) => ({
          launchId: `${chunkLaunchId(c)}.expired`,
          slots: chunk,
          attempt: 1,
          placementTry: 0,
          requestedAt: now.toISOString(),
          tasks: [],
          failures: [],
          error: { name: 'NotLaunched', message: 'not launched before the start window closed' },
        }));

export { dueLaunches, expiredChunks };
