import * as v from 'valibot';
import { InvalidEventError } from '#kernel/errors.ts';
import { parseArn } from '#kernel/events/arn.ts';
import { parseEventOf } from '#kernel/events/parse.ts';
import { lazy, opt, text, timestamp, toFieldIssues } from '#kernel/events/schema-helpers.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { manualRunKey, parseStartedBy, scheduledRunKey } from './run-ids.ts';

/** The name of the schedule that runs the periodic check (job names cannot start with "_"). */
const SWEEP_SCHEDULE = '_sweep';

interface Where {
  account: string;
  region: string;
}

/**
 * What the batch-jobs function was invoked for:
 * - start: a job's schedule fired (EventBridge Scheduler's default payload), or a run-now request;
 * - sweep: the periodic check (retries due, deadlines, lost events, missed runs);
 * - task-stopped: a task Harbormaster launched stopped;
 * - reconcile: `harbormaster run-job --wait` asks to bring one run up to date;
 * - unrelated: an event that is not for this function (logged and ignored).
 */
type BatchEvent =
  | {
      kind: 'start';
      trigger: 'schedule' | 'manual';
      job: string;
      runKey: string;
      scheduledAt: Date;
      where: Where;
      eventId: string | undefined;
    }
  | { kind: 'sweep'; at: Date; where: Where; eventId: string | undefined }
  | {
      kind: 'task-stopped';
      job: string;
      runKey: string;
      namespace: string;
      detail: TaskDetail;
      where: Where;
      eventId: string | undefined;
    }
  | { kind: 'reconcile'; job: string; runKey: string; where: Where; eventId: undefined }
  | { kind: 'unrelated'; reason: string; where: Where; eventId: string | undefined };

const JOB = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;

/** `{ "runJob": { ... } }`: run a job now (the CLI's run-job, or `aws lambda invoke`). */
const runJobSchema = lazy(() =>
  v.strictObject({
    runJob: v.strictObject({
      job: v.pipe(text(48), v.regex(JOB, 'expected a job name')),
      /** When the run was asked for: the run key is its minute, so a retried request is the same run. */
      requestedAt: timestamp(),
      /** Another run in the same minute needs its own key. */
      key: opt(v.pipe(text(16), v.regex(/^[A-Za-z0-9_]+$/, 'expected letters, digits or _'))),
      account: opt(v.pipe(text(12), v.regex(/^\d{12}$/))),
      region: opt(text(32)),
    }),
  }),
);

/** `{ "reconcileRun": { ... } }`: bring one run up to date from ECS (run-job --wait). */
const reconcileSchema = lazy(() =>
  v.strictObject({
    reconcileRun: v.strictObject({
      job: v.pipe(text(48), v.regex(JOB, 'expected a job name')),
      runKey: v.pipe(text(48), v.regex(/^\d{8}T\d{6}Z(-[A-Za-z0-9_]+)?$/, 'expected a run key')),
      account: opt(text(12)),
      region: opt(text(32)),
    }),
  }),
);

const UNKNOWN: Where = { account: 'unknown', region: 'unknown' };

const parseCommand = (raw: Record<string, unknown>): BatchEvent => {
  if ('runJob' in raw) {
    const result = v.safeParse(runJobSchema(), raw);
    if (!result.success)
      throw new InvalidEventError(toFieldIssues(result.issues), 'run-job request');
    const { job, requestedAt, key, account, region } = result.output.runJob;
    const at = new Date(requestedAt);
    return {
      kind: 'start',
      trigger: 'manual',
      job,
      runKey: manualRunKey(at, key),
      scheduledAt: at,
      where: { account: account ?? UNKNOWN.account, region: region ?? UNKNOWN.region },
      eventId: undefined,
    };
  }
  const result = v.safeParse(reconcileSchema(), raw);
  if (!result.success)
    throw new InvalidEventError(toFieldIssues(result.issues), 'reconcile request');
  const { job, runKey, account, region } = result.output.reconcileRun;
  return {
    kind: 'reconcile',
    job,
    runKey,
    where: { account: account ?? UNKNOWN.account, region: region ?? UNKNOWN.region },
    eventId: undefined,
  };
};

/** Parses anything the batch-jobs function is invoked with; throws InvalidEventError naming bad fields. */
const parseBatchEvent = (raw: unknown): BatchEvent => {
  if (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    ('runJob' in raw || 'reconcileRun' in raw)
  )
    return parseCommand(raw as Record<string, unknown>);
  const event = parseEventOf(raw, ['scheduled', 'task-state-change']);
  const where = { account: event.meta.account, region: event.meta.region };
  const eventId = event.meta.id;
  if (event.kind === 'task-state-change') {
    const run = parseStartedBy(event.task.startedBy);
    if (!run)
      return {
        kind: 'unrelated',
        reason: 'the task was not started by Harbormaster',
        where,
        eventId,
      };
    if (event.task.lastStatus !== 'STOPPED')
      return {
        kind: 'unrelated',
        reason: `task is ${event.task.lastStatus}, not STOPPED`,
        where,
        eventId,
      };
    return { kind: 'task-stopped', ...run, detail: event.raw.detail, where, eventId };
  }
  const schedule = parseArn(event.scheduleArn);
  const path = schedule?.resource.split('/') ?? [];
  if (schedule?.service !== 'scheduler' || path[0] !== 'schedule' || path.length !== 3)
    return {
      kind: 'unrelated',
      reason: `not an EventBridge Scheduler schedule: ${event.scheduleArn.slice(0, 200)}`,
      where,
      eventId,
    };
  const name = path[2] ?? '';
  const at = event.meta.time;
  if (!at)
    throw new InvalidEventError(
      [{ path: 'time', message: 'missing: it is the scheduled time' }],
      'Scheduled Event',
    );
  // The backstop, or a wake-up the check asked for (schedule group <service>-<stage>-wakeups).
  if (name === SWEEP_SCHEDULE || (path[1]?.endsWith('-wakeups') && name.startsWith('batch-jobs-')))
    return { kind: 'sweep', at, where, eventId };
  if (!JOB.test(name))
    return { kind: 'unrelated', reason: `schedule ${name} names no job`, where, eventId };
  return {
    kind: 'start',
    trigger: 'schedule',
    job: name,
    runKey: scheduledRunKey(at),
    scheduledAt: new Date(Math.floor(at.getTime() / 60_000) * 60_000),
    where,
    eventId,
  };
};

export { type BatchEvent, parseBatchEvent, SWEEP_SCHEDULE, type Where };
