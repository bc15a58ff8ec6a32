import { act, type Decision, ignore } from '#kernel/decision.ts';
import { shortTaskDefinition } from '#kernel/events/arn.ts';
import type { BatchAction } from './actions/index.ts';
import type { BatchEvent } from './batch-event.ts';
import type { JobConfig } from './config.ts';
import { decideRun, isActive, NOTHING_OBSERVED, openTasks, type RunContext } from './decide-run.ts';
import { newRun } from './new-run.ts';
import type { JobRun } from './records.ts';
import { batchAlert, whereOf } from './run-alerts.ts';
import { slotStates } from './slots.ts';
import type { PreviousRun, StartState } from './state.ts';

type StartEvent = Extract<BatchEvent, { kind: 'start' }>;

const runContext = (run: JobRun, event: StartEvent, config: JobConfig | undefined): RunContext => ({
  where: whereOf(run, event.where),
  routing: config?.alerts,
});

/** Why the run cannot start, naming what is missing; undefined when it can. */
const cannotStart = (
  event: StartEvent,
  state: StartState,
  config: JobConfig,
): string | undefined => {
  if (state.clusterMissing) return `cluster ${config.cluster} does not exist`;
  if (!state.definition)
    return `task definition ${config.taskDefinition} not found (no ACTIVE revision)`;
  const revision = shortTaskDefinition(
    state.definition.definition.taskDefinitionArn ?? config.taskDefinition,
  );
  if (state.definition.definition.networkMode === 'awsvpc' && !config.network)
    return `task definition ${revision} uses the awsvpc network mode: batchJobs.jobs.${event.job}.network is required`;
  return undefined;
};

/** The run an invocation starts, or records as final (skipped, failed to start) with the reason. */
const runOf = (
  event: StartEvent,
  state: StartState,
  config: JobConfig,
  now: Date,
  status: JobRun['status'],
  reason?: string,
) =>
  newRun({
    namespace: state.namespace,
    job: event.job,
    config,
    trigger: event.trigger,
    runKey: event.runKey,
    scheduledAt: event.scheduledAt,
    now,
    status,
    definition: state.definition,
    reason,
  });

/** Stops a previous run's tasks and closes it as replaced (concurrencyPolicy Replace). */
const replace = (
  previous: PreviousRun,
  newRunKey: string,
  ctx: RunContext,
  now: Date,
): BatchAction[] => {
  const { run } = previous;
  const tasks = [...new Set([...openTasks(run, previous.facts), ...previous.running])];
  const reason = `replaced by run ${newRunKey} (concurrencyPolicy Replace)`;
  return [
    ...tasks.map(
      (taskArn): BatchAction => ({
        type: 'stop-job-task',
        cluster: run.spec.cluster,
        taskArn,
        reason: `Harbormaster: job ${run.job} run ${run.runKey} ${reason}`,
      }),
    ),
    {
      type: 'finish-job-run',
      job: run.job,
      runKey: run.runKey,
      status: 'replaced',
      finishedAt: now.toISOString(),
      reason,
    },
    batchAlert({
      run,
      event: 'finished',
      status: 'replaced',
      reason: `${reason}; ${tasks.length} task(s) stopped`,
      severity: 'warning',
      slots: slotStates(run, previous.facts),
      outcomes: previous.facts.outcomes,
      finishedAt: now.toISOString(),
      where: ctx.where,
      routing: ctx.routing,
    }),
  ];
};

/**
 * Decides how a run starts (pure): once per run key (a duplicate delivery resumes the recorded
 * run instead), never past its start window (a late invocation is a missed run), not at all
 * when the cluster, task definition or network it needs is missing, and per the concurrency
 * policy when the previous run is still active: Forbid skips it, Replace stops the previous run
 * first, Allow runs both.
 */
const decideStart = (event: StartEvent, state: StartState, now: Date): Decision<BatchAction> => {
  const { config } = state;
  if (!config) return ignore(`job ${event.job} is not in the configuration`);
  if (event.trigger === 'schedule' && !config.enabled)
    return ignore(`job ${event.job} is disabled (batchJobs.jobs.${event.job}.enabled)`);
  if (state.existing) {
    const { run, facts } = state.existing;
    if (run.status !== 'running') return ignore(`run ${run.runKey} already ${run.status}`);
    const actions = decideRun(run, facts, NOTHING_OBSERVED, runContext(run, event, config), now);
    return act(`run ${run.runKey} was already started: resuming it`, actions);
  }
  const lateBy = now.getTime() - event.scheduledAt.getTime();
  if (event.trigger === 'schedule' && lateBy > config.startWindowMinutes * 60_000) {
    const reason = `the schedule's invocation came ${Math.round(lateBy / 60_000)} min late, past the ${config.startWindowMinutes}-minute start window`;
    const run = runOf(event, state, config, now, 'missed', reason);
    return act(`run ${run.runKey} missed`, [
      { type: 'start-job-run', run },
      batchAlert({
        run,
        event: 'missed',
        status: 'missed',
        reason,
        severity: 'error',
        where: whereOf(run, event.where),
        routing: config.alerts,
      }),
    ]);
  }
  const problem = cannotStart(event, state, config);
  if (problem) {
    const run = runOf(event, state, config, now, 'failed', problem);
    return act(`run ${run.runKey} cannot start: ${problem}`, [
      { type: 'start-job-run', run },
      batchAlert({
        run,
        event: 'not-started',
        status: 'failed',
        reason: problem,
        severity: 'error',
        where: whereOf(run, event.where),
        routing: config.alerts,
      }),
    ]);
  }
  const run = runOf(event, state, config, now, 'running');
  const ctx = runContext(run, event, config);
  // Previous runs whose every slot settled are closed here, whatever the policy.
  const closing = state.previous
    .filter((p) => !isActive(p.run, p.facts, p.running))
    .flatMap((p) =>
      decideRun(
        p.run,
        p.facts,
        { ...NOTHING_OBSERVED, running: p.running },
        { ...ctx, where: whereOf(p.run, ctx.where) },
        now,
      ),
    );
  const active = state.previous.filter((p) => isActive(p.run, p.facts, p.running));
  if (active.length > 0 && config.concurrencyPolicy === 'Forbid') {
    const blocking = active
      .map((p) => `${p.run.runKey} (${p.running.length} task(s) running)`)
      .join(', ');
    const reason = `the previous run ${blocking} is still active (concurrencyPolicy Forbid)`;
    const skipped = runOf(event, state, config, now, 'skipped', reason);
    return act(`run ${skipped.runKey} skipped`, [
      ...closing,
      { type: 'start-job-run', run: skipped },
      batchAlert({
        run: skipped,
        event: 'skipped',
        status: 'skipped',
        reason,
        severity: 'warning',
        where: ctx.where,
        routing: config.alerts,
      }),
    ]);
  }
  const replaced =
    config.concurrencyPolicy === 'Replace'
      ? active.flatMap((p) =>
          replace(p, run.runKey, { ...ctx, where: whereOf(p.run, ctx.where) }, now),
        )
      : [];
  const startActions: BatchAction[] = [
    { type: 'start-job-run', run },
    ...decideRun(run, { launches: [], outcomes: [] }, NOTHING_OBSERVED, ctx, now),
    // After the launch: the parent of the run's Slack app thread, edited as the run goes.
    batchAlert({
      run,
      event: 'started',
      status: 'running',
      severity: 'info',
      where: ctx.where,
      routing: config.alerts,
      threadOnly: true,
    }),
  ];
  const overlap =
    active.length > 0
      ? ` (${config.concurrencyPolicy}: ${active.length} previous run(s) active)`
      : '';
  return act(`run ${run.runKey} starts ${run.count} task(s)${overlap}`, [
    ...closing,
    ...replaced,
    ...startActions,
  ]);
};

export { decideStart };
