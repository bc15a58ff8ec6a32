import type { TaskDefinitionState } from '#aws/ecs/state.ts';
import type { BatchAction } from '#batch/actions/index.ts';
import type { BatchRunAlert } from '#batch/batch-run-alert.ts';
import type { JobConfig } from '#batch/config.ts';
import type { RunContext } from '#batch/decide-run.ts';
import { newRun } from '#batch/new-run.ts';
import type { JobRun, LaunchRecord, TaskOutcome } from '#batch/records.ts';
import { parseConfig } from '#config/parse.ts';
import type { Config } from '#config/schema.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { type Json, stoppedTask } from './events.ts';

/** Builders of batch job runs and their records for pure decision tests. */

const ARN = 'arn:aws:ecs:us-east-2:123456789012';
const STARTED = new Date('2026-11-21T10:00:00Z');
// The stopped-task fixture (arkime) names its only container FargateContainer.
const ESSENTIAL = 'FargateContainer';

type JobInput = Record<string, unknown>;

const JOB: JobInput = {
  schedule: 'cron(0 10 * * ? *)',
  cluster: 'batch',
  taskDefinition: 'report',
  count: 3,
  launchType: 'FARGATE',
  network: { subnets: ['subnet-0a1b2c3d'] },
  startWindowMinutes: 10,
  deadlineMinutes: 60,
  retries: { attempts: 2, backoffSeconds: 60, backoffMultiplier: 2 },
};

/** A configuration with one job `nightly` (overrides merged into the job). */
const configWith = (job: JobInput = {}, batch: JobInput = {}): Config =>
  parseConfig({ batchJobs: { ...batch, jobs: { nightly: { ...JOB, ...job } } } }, 'test');

/** The `nightly` job's configuration. */
const jobConfig = (job: JobInput = {}): JobConfig =>
  configWith(job).batchJobs.jobs.nightly as JobConfig;

/** A task definition revision as DescribeTaskDefinition reports it. */
const definition = (overrides: Record<string, unknown> = {}): TaskDefinitionState => ({
  definition: {
    taskDefinitionArn: `${ARN}:task-definition/report:7`,
    family: 'report',
    revision: 7,
    networkMode: 'awsvpc',
    containerDefinitions: [
      { name: ESSENTIAL, essential: true },
      { name: 'otel-sidecar', essential: false },
    ],
    ...overrides,
  },
  tags: {},
});

/** A run of `nightly` started at 10:00 (running unless told otherwise). */
const aRun = (job: JobInput = {}, overrides: Partial<JobRun> = {}): JobRun => ({
  ...newRun({
    namespace: 'prod',
    job: 'nightly',
    config: jobConfig(job),
    trigger: 'schedule',
    runKey: '20261121T100000Z',
    scheduledAt: STARTED,
    now: STARTED,
    status: 'running',
    definition: definition(),
  }),
  ...overrides,
});

/** A task ARN of the batch cluster. */
const taskArn = (n: number | string): string => `${ARN}:task/batch/${String(n).padStart(32, '0')}`;

/** A launch record: tasks for the slots not listed in `unplaced`. */
const launch = (
  launchId: string,
  slots: number[],
  options: {
    attempt?: number;
    placementTry?: number;
    at?: string;
    unplaced?: number[];
    reason?: string;
    error?: { name: string; message: string };
  } = {},
): LaunchRecord => ({
  launchId,
  slots,
  attempt: options.attempt ?? 1,
  placementTry: options.placementTry ?? 0,
  requestedAt: options.at ?? STARTED.toISOString(),
  tasks: options.error
    ? []
    : slots
        .filter((s) => !options.unplaced?.includes(s))
        .map((slot) => ({
          slot,
          taskArn: taskArn(`${launchId}-${slot}`.replace(/[^0-9a-f]/g, 'f')),
        })),
  failures: options.error
    ? []
    : (options.unplaced ?? []).map((slot) => ({
        slot,
        reason: options.reason ?? 'RESOURCE:FARGATE',
      })),
  ...(options.error ? { error: options.error } : {}),
});

/** The task ARN a launch record gave a slot. */
const taskOf = (record: LaunchRecord, slot: number): string => {
  const task = record.tasks.find((t) => t.slot === slot);
  if (!task) throw new Error(`launch ${record.launchId} has no task for slot ${slot}`);
  return task.taskArn;
};

/** A stopped task of the run, derived from the real stopped-task fixture. */
const stopped = (
  arn: string,
  change: {
    exitCode?: number | undefined;
    stopCode?: string;
    stoppedReason?: string;
    containerReason?: string;
    neverStarted?: boolean;
    stoppedAt?: string;
  } = {},
): TaskDetail => {
  const event = stoppedTask({
    stopCode: change.stopCode ?? 'EssentialContainerExited',
    stoppedReason: change.stoppedReason ?? 'Essential container in task exited',
    exitCode: 'exitCode' in change ? change.exitCode : 0,
    startedBy: 'harbormaster/prod/nightly/20261121T100000Z',
    group: 'family:report',
    ...(change.containerReason ? { containerReason: change.containerReason } : {}),
    extraContainers: [{ name: 'otel-sidecar', exitCode: 143, lastStatus: 'STOPPED' }],
  });
  const detail = event.detail as Json;
  detail.taskArn = arn;
  detail.clusterArn = `${ARN}:cluster/batch`;
  detail.stoppedAt = change.stoppedAt ?? '2026-11-21T10:05:00Z';
  if (change.neverStarted) delete detail.startedAt;
  return detail as unknown as TaskDetail;
};

/** A recorded outcome (succeeded unless told otherwise). */
const outcome = (arn: string, change: Partial<TaskOutcome> = {}): TaskOutcome => ({
  taskArn: arn,
  succeeded: true,
  kind: 'exited',
  started: true,
  essentialExits: [{ container: ESSENTIAL, exitCode: change.succeeded === false ? 1 : 0 }],
  stoppedAt: '2026-11-21T10:05:00Z',
  ...change,
});

/** A failed outcome: the essential container exited `code`. */
const failedOutcome = (arn: string, code = 1, at = '2026-11-21T10:05:00Z'): TaskOutcome =>
  outcome(arn, {
    succeeded: false,
    kind: 'crashed',
    essentialExits: [{ container: ESSENTIAL, exitCode: code }],
    stoppedAt: at,
  });

/** `base` plus `minutes`, as a Date. */
const minutesAfter = (minutes: number, base = STARTED): Date =>
  new Date(base.getTime() + minutes * 60_000);

/** The context of a run decision in the test account, alerts to every channel. */
const RUN_CONTEXT: RunContext = {
  where: { account: '123456789012', region: 'us-east-2' },
  routing: undefined,
};

/** The batch-run alerts among a decision's actions. */
const batchAlerts = (actions: readonly BatchAction[]): BatchRunAlert[] =>
  actions.flatMap((a) => (a.type === 'notify' && a.alert.kind === 'batch-run' ? [a.alert] : []));

export {
  ARN,
  aRun,
  batchAlerts,
  configWith,
  definition,
  ESSENTIAL,
  failedOutcome,
  jobConfig,
  launch,
  minutesAfter,
  outcome,
  RUN_CONTEXT,
  STARTED,
  stopped,
  taskArn,
  taskOf,
};
