import type { EcsPort } from '#aws/ecs/port.ts';
import type { TaskDetail } from '#kernel/events/task-state-change.ts';
import { classifyFailure } from '#kernel/failures.ts';
import type { BatchEvent } from './batch-event.ts';
import type { BatchConfig, JobConfig } from './config.ts';
import { openTasks } from './decide-run.ts';
import { outcomeOf, retryable } from './outcome.ts';
import type { BatchPorts, JobRunStore, RunHeader } from './ports.ts';
import type { JobRun, RunFacts, TaskOutcome } from './records.ts';
import { startedByFor } from './run-ids.ts';
import { parseScheduleExpression } from './schedule/schedule-expression.ts';
import type { ActiveRun, BatchState, JobCheck, PreviousRun, RunObservation } from './state.ts';

const HOUR = 3_600_000;

/** ECS's view of a run: its tasks still desired RUNNING, and the open ones that stopped or vanished. */
const observeRun = async (ecs: EcsPort, run: JobRun, facts: RunFacts): Promise<RunObservation> => {
  const running = await ecs.listTasks(run.spec.cluster, { startedBy: run.startedBy });
  const listed = new Set(running);
  const open = openTasks(run, facts).filter((arn) => !listed.has(arn));
  const described = open.length > 0 ? await ecs.describeTasks(run.spec.cluster, open) : [];
  const found = new Set(described.map((t) => t.taskArn));
  return {
    running,
    stopped: described.filter((t) => t.lastStatus === 'STOPPED'),
    missing: open.filter((arn) => !found.has(arn)),
  };
};

/**
 * The outcome of a stopped task that can be recorded from its run's header alone: the run is
 * running, another task is still open (this one is not its last), and the outcome asks for no
 * retry (a retry is planned from all the run's records). Undefined otherwise.
 */
const recordableAlone = (
  header: { run: JobRun; open: number | undefined },
  detail: TaskDetail,
): TaskOutcome | undefined => {
  const { run, open } = header;
  if (run.status !== 'running' || open === undefined || open < 2) return undefined;
  const outcome = outcomeOf(detail, run.essentialContainers);
  if (!outcome) return undefined;
  return run.retries.attempts > 0 && retryable(outcome, run.retries) ? undefined : outcome;
};

/**
 * Whether the periodic check reads all of a running run's records now: when its header asks
 * for it (checkAt), when no task of it is open any more (its last outcomes may have raced), at
 * its deadline, and for runs recorded before headers counted.
 */
const checkDue = (header: RunHeader, at: Date): boolean => {
  const { run, open, checkAt } = header;
  if (run.status !== 'running') return false;
  if (open === undefined || checkAt === undefined || open <= 0) return true;
  return at.getTime() >= Math.min(new Date(checkAt).getTime(), new Date(run.deadlineAt).getTime());
};

const isClusterMissing = (error: unknown): boolean =>
  classifyFailure(error).name === 'ClusterNotFoundException';

/** How far back a job's runs matter: its deadline and start window, or its rate period. */
const lookbackMs = (config: JobConfig): number => {
  let period = 0;
  try {
    const expression = parseScheduleExpression(config.schedule);
    if (expression.kind === 'rate') period = expression.periodMs;
  } catch {
    // Validated at packaging; a bad expression here only shortens the look-back.
  }
  return Math.max((config.deadlineMinutes + config.startWindowMinutes) * 60_000, period) + HOUR;
};

const loadStart = async (
  event: Extract<BatchEvent, { kind: 'start' }>,
  ports: BatchPorts,
  config: BatchConfig,
): Promise<BatchState> => {
  const { jobRuns, ecs } = ports;
  const job = config.batchJobs.jobs[event.job];
  const base = {
    namespace: jobRuns.namespace,
    config: job,
    previous: [],
    definition: undefined,
    clusterMissing: false,
  };
  if (!job) return { kind: 'start', start: { ...base, existing: undefined } };
  const existing = await jobRuns.getRun(event.job, event.runKey);
  if (existing) {
    const facts = await jobRuns.runFacts(event.job, event.runKey);
    return { kind: 'start', start: { ...base, existing: { run: existing, facts } } };
  }
  let clusterMissing = false;
  try {
    await ecs.listTasks(job.cluster, {
      startedBy: startedByFor(jobRuns.namespace, event.job, event.runKey),
    });
  } catch (error) {
    if (!isClusterMissing(error)) throw error;
    clusterMissing = true;
  }
  const definition = await ecs.describeTaskDefinition(job.taskDefinition);
  const since = new Date(event.scheduledAt.getTime() - lookbackMs(job));
  const previous: PreviousRun[] = [];
  if (!clusterMissing) {
    for (const run of await jobRuns.recentRuns(event.job, since)) {
      if (run.status !== 'running' || run.runKey === event.runKey) continue;
      const facts = await jobRuns.runFacts(run.job, run.runKey);
      const running = await ecs.listTasks(run.spec.cluster, { startedBy: run.startedBy });
      previous.push({ run, facts, running });
    }
  }
  return {
    kind: 'start',
    start: { ...base, existing: undefined, previous, definition, clusterMissing },
  };
};

const checkJob = async (
  name: string,
  job: JobConfig,
  store: JobRunStore,
  ecs: EcsPort,
  at: Date,
): Promise<JobCheck> => {
  const watermark = await store.watermark(name);
  const lookback = new Date(at.getTime() - lookbackMs(job));
  const since = watermark && new Date(watermark.at) < lookback ? new Date(watermark.at) : lookback;
  const headers = await store.recentRunHeaders(name, since);
  const runs = headers.map((h) => h.run);
  const active: ActiveRun[] = [];
  for (const { run } of headers.filter((h) => checkDue(h, at))) {
    const facts = await store.runFacts(name, run.runKey);
    let observed: RunObservation | undefined;
    try {
      observed = await observeRun(ecs, run, facts);
    } catch (error) {
      // Without ECS's view the run is still decided from its records (deadlines, retries).
      if (classifyFailure(error).retryable && !isClusterMissing(error)) throw error;
    }
    active.push({ run, facts, observed });
  }
  return { job: name, config: job, watermark, runs, active };
};

const loadSweep = async (
  event: Extract<BatchEvent, { kind: 'sweep' }>,
  ports: BatchPorts,
  config: BatchConfig,
): Promise<BatchState> => {
  const jobs: JobCheck[] = [];
  for (const [name, job] of Object.entries(config.batchJobs.jobs)) {
    try {
      jobs.push(await checkJob(name, job, ports.jobRuns, ports.ecs, event.at));
    } catch (error) {
      // One job's trouble must not hold the others up; the next check (a minute later) retries it.
      const failure = classifyFailure(error);
      jobs.push({
        job: name,
        config: job,
        watermark: undefined,
        runs: [],
        active: [],
        error: `${failure.name}: ${failure.message.slice(0, 200)}`,
      });
    }
  }
  // croner (32 KiB) is loaded by the first periodic check, not by every cold start.
  const { fireTimes } = await import('./schedule/fire-times.ts');
  return { kind: 'sweep', sweep: { namespace: ports.jobRuns.namespace, jobs, fireTimes } };
};

const loadRun = async (
  event: Extract<BatchEvent, { kind: 'task-stopped' | 'reconcile' }>,
  ports: BatchPorts,
  config: BatchConfig,
): Promise<BatchState> => {
  const { jobRuns } = ports;
  const base = { namespace: jobRuns.namespace, config: config.batchJobs.jobs[event.job] };
  const empty = { launches: [], outcomes: [] };
  if (event.kind === 'task-stopped' && event.namespace !== jobRuns.namespace)
    return {
      kind: 'run',
      state: {
        ...base,
        run: undefined,
        facts: empty,
        observed: { running: [], stopped: [], missing: [] },
      },
    };
  const header = await jobRuns.getRunHeader(event.job, event.runKey);
  const run = header?.run;
  if (event.kind === 'task-stopped' && header) {
    const outcome = recordableAlone(header, event.detail);
    if (outcome)
      return { kind: 'stopped', state: { namespace: jobRuns.namespace, run: header.run, outcome } };
  }
  const facts = run ? await jobRuns.runFacts(event.job, event.runKey) : empty;
  const observed: RunObservation =
    event.kind === 'task-stopped'
      ? { running: [], stopped: [event.detail], missing: [] }
      : run
        ? await observeRun(ports.ecs, run, facts)
        : { running: [], stopped: [], missing: [] };
  return { kind: 'run', state: { ...base, run, facts, observed } };
};

/** Loads what an invocation of batch-jobs decides on: run records from the store, tasks from ECS. */
const loadBatchState = (
  event: BatchEvent,
  ports: BatchPorts,
  config: BatchConfig,
): Promise<BatchState> => {
  switch (event.kind) {
    case 'start':
      return loadStart(event, ports, config);
    case 'sweep':
      return loadSweep(event, ports, config);
    case 'task-stopped':
    case 'reconcile':
      return loadRun(event, ports, config);
    case 'unrelated':
      return Promise.resolve({ kind: 'none' });
  }
};

export { loadBatchState, observeRun };
