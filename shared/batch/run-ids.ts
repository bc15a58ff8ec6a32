import { createHash } from 'node:crypto';

/**
 * Deterministic names for a run and its launches: the same scheduled time always yields the same
 * run key, startedBy and client tokens, so a redelivered or retried invocation reaches the same
 * run and ECS returns the tasks of the first RunTask call instead of starting new ones.
 */

const PREFIX = 'harbormaster';
const TASKS_PER_CALL = 10;

/** "20261121T090000Z": a run's scheduled minute, as a sortable key. */
const scheduledRunKey = (scheduledAt: Date): string =>
  `${new Date(Math.floor(scheduledAt.getTime() / 60_000) * 60_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .slice(0, 15)}Z`;

/** "20261121T090500Z-manual": a run-now request, idempotent within its minute (or for its key). */
const manualRunKey = (requestedAt: Date, key = 'manual'): string =>
  `${scheduledRunKey(requestedAt)}-${key}`;

/** The scheduled (or requested) time a run key names. */
const runKeyTime = (runKey: string): Date | undefined => {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(runKey);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
};

/** RunTask's startedBy for every task of a run (≤128 characters of [A-Za-z0-9/_-]). */
const startedByFor = (namespace: string, job: string, runKey: string): string =>
  `${PREFIX}/${namespace}/${job}/${runKey}`;

/** The namespace, job and run a startedBy names; undefined when Harbormaster did not start the task. */
const parseStartedBy = (
  startedBy: string | undefined,
): { namespace: string; job: string; runKey: string } | undefined => {
  const match =
    /^harbormaster\/([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)\/(\d{8}T\d{6}Z(?:-[A-Za-z0-9_]+)?)$/.exec(
      startedBy ?? '',
    );
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { namespace: match[1], job: match[2], runKey: match[3] };
};

/** RunTask's clientToken for a launch of a run: 64 hex characters, unique per launch. */
const clientTokenFor = (startedBy: string, launchId: string): string =>
  createHash('sha256').update(`${startedBy}#${launchId}`).digest('hex');

/** The first launch of a run: chunk `c` holds slots 10c to 10c+9 (RunTask takes 10 tasks per call). */
const chunkLaunchId = (chunk: number): string => `c${chunk}`;

/** A retry of one task slot after its task failed. */
const retryLaunchId = (slot: number, attempt: number): string => `s${slot}.a${attempt}`;

/** RunTask again for the slots a launch could not place. */
const placementRetryId = (launchId: string, placementTry: number): string =>
  `${launchId.replace(/\.p\d+$/, '')}.p${placementTry}`;

/** The slots of each first-launch chunk of a run of `count` tasks. */
const chunks = (count: number): number[][] =>
  Array.from({ length: Math.ceil(count / TASKS_PER_CALL) }, (_, c) =>
    Array.from(
      { length: Math.min(TASKS_PER_CALL, count - c * TASKS_PER_CALL) },
      (_, i) => c * TASKS_PER_CALL + i,
    ),
  );

export {
  chunkLaunchId,
  chunks,
  clientTokenFor,
  manualRunKey,
  parseStartedBy,
  placementRetryId,
  retryLaunchId,
  runKeyTime,
  scheduledRunKey,
  startedByFor,
  TASKS_PER_CALL,
};
