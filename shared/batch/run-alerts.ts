import type { NotifyAction, Severity } from '#kernel/alerts/model.ts';
import { clusterName, parseArn } from '#kernel/events/arn.ts';
import type { BatchRunAlert } from './batch-run-alert.ts';
import { failureReason } from './outcome.ts';
import type { JobRun, TaskOutcome } from './records.ts';
import type { SlotState } from './slots.ts';

/** Where a job's alerts go and whether successes are reported (the job's `alerts`). */
interface AlertRouting {
  channels?: readonly string[] | undefined;
  onSuccess: boolean;
}

const DEFAULT_ROUTING: AlertRouting = { onSuccess: true };

// Long enough to cover a run from its start to the end of its deadline window.
const WINDOW_SECONDS = 8 * 24 * 3600;

const slug = (value: string): string => value.replace(/[^A-Za-z0-9_.-]+/g, '-');

/** One chat thread per run: its start problems, capacity warnings and summary read as one story. */
const runThreadId = (job: string, runKey: string): string => `batch-${slug(job)}-${slug(runKey)}`;

/** Account and region of a run, from the ARNs it carries. */
const whereOf = (run: Pick<JobRun, 'spec'>, fallback: { account: string; region: string }) => {
  const arn = parseArn(run.spec.taskDefinition) ?? parseArn(run.spec.cluster);
  return { account: arn?.account || fallback.account, region: arn?.region || fallback.region };
};

const grouped = (reasons: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
};

/** Failed slots grouped by reason, most frequent first. */
const failureGroups = (slots: readonly SlotState[], extra: Map<number, string> = new Map()) =>
  grouped(
    slots
      .map((slot) => extra.get(slot.slot) ?? (slot.status === 'failed' ? slot.reason : undefined))
      .filter((reason): reason is string => reason !== undefined),
  );

/** Failures of earlier attempts: failed outcomes that are not any slot's latest task. */
const retriedGroups = (slots: readonly SlotState[], outcomes: readonly TaskOutcome[]) => {
  const latest = new Set(slots.map((s) => s.taskArn));
  return grouped(outcomes.filter((o) => !o.succeeded && !latest.has(o.taskArn)).map(failureReason));
};

interface BatchAlertInput {
  run: JobRun;
  event: BatchRunAlert['event'];
  status: BatchRunAlert['status'];
  reason?: string | undefined;
  severity: Severity;
  slots?: readonly SlotState[];
  /** The run's recorded task outcomes (for the failures that were retried). */
  outcomes?: readonly TaskOutcome[];
  /** Slots failed by this decision (deadline), with why. */
  failedNow?: Map<number, string>;
  finishedAt?: string | undefined;
  missedTimes?: string[];
  where: { account: string; region: string };
  routing: AlertRouting | undefined;
  /** Distinguishes several alerts of one event for one run (e.g. unplaced after different launches). */
  dedupSuffix?: string;
  /** When it happened, if not when the run started or finished (a task's stop). */
  at?: string | undefined;
  /** A step told only in the run's Slack app thread (started, task-failed). */
  threadOnly?: boolean;
  failedTask?: { taskArn: string; reason: string };
}

/** A notify action for a batch run alert, routed to the job's channels. */
const batchAlert = (input: BatchAlertInput): NotifyAction<BatchRunAlert> => {
  const { run } = input;
  const slots = input.slots ?? [];
  const failedNow = input.failedNow ?? new Map<number, string>();
  const succeeded = slots.filter((s) => s.status === 'succeeded').length;
  const failures = failureGroups(slots, failedNow);
  const failedTasks = slots
    .filter((s) => (s.status === 'failed' || failedNow.has(s.slot)) && s.taskArn)
    .map((s) => s.taskArn as string);
  const cluster = clusterName(run.spec.cluster);
  const alert: BatchRunAlert = {
    kind: 'batch-run',
    severity: input.severity,
    subject: {
      ...input.where,
      cluster,
      job: run.job,
      taskDefinition: run.spec.taskDefinition || undefined,
    },
    occurredAt: input.at ?? input.finishedAt ?? run.startedAt,
    threadId: runThreadId(run.job, run.runKey),
    dedup: {
      key: [
        'batch-run',
        input.where.account,
        input.where.region,
        run.job,
        run.runKey,
        input.event,
        input.dedupSuffix ?? '',
      ].join('|'),
      windowSeconds: WINDOW_SECONDS,
    },
    ...(input.routing?.channels ? { channels: input.routing.channels } : {}),
    ...(input.threadOnly ? { threadOnly: true } : {}),
    ...(input.failedTask ? { failedTask: input.failedTask } : {}),
    event: input.event,
    job: run.job,
    runKey: run.runKey,
    trigger: run.trigger,
    scheduledAt: run.scheduledAt,
    status: input.status,
    reason: input.reason,
    cluster,
    taskDefinition: run.spec.taskDefinition || undefined,
    tasks: {
      total: run.count,
      succeeded,
      failed: slots.length > 0 ? run.count - succeeded : 0,
      retries: slots.reduce((sum, s) => sum + Math.max(0, s.attempt - 1), 0),
    },
    failures,
    retried: retriedGroups(slots, input.outcomes ?? []),
    durationSeconds: input.finishedAt
      ? Math.max(
          0,
          (new Date(input.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000,
        )
      : undefined,
    failedTasks: failedTasks.slice(0, 5),
    missedTimes: input.missedTimes ?? [],
  };
  return { type: 'notify', alert };
};

export { type AlertRouting, batchAlert, DEFAULT_ROUTING, runThreadId, whereOf };
