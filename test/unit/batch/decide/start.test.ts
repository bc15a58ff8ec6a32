import { describe, expect, it } from 'vitest';
import type { BatchAction } from '#batch/actions/index.ts';
import { type BatchEvent, parseBatchEvent } from '#batch/batch-event.ts';
import type { BatchRunAlert } from '#batch/batch-run-alert.ts';
import { decideStart } from '#batch/decide-start.ts';
import type { JobRun } from '#batch/records.ts';
import type { StartState } from '#batch/state.ts';
import { fixture } from '#support/events.ts';
import {
  aRun,
  definition,
  jobConfig,
  launch,
  minutesAfter,
  outcome,
  taskOf,
} from '#support/job-runs.ts';

type StartEvent = Extract<BatchEvent, { kind: 'start' }>;

/** The real EventBridge Scheduler default payload, from the job's schedule at `time`. */
const fired = (time: string, job = 'nightly'): StartEvent => {
  const event = parseBatchEvent({
    ...fixture('scheduler-default-payload-powertools'),
    time,
    resources: [`arn:aws:scheduler:us-east-2:123456789012:schedule/harbormaster-prod/${job}`],
  });
  if (event.kind !== 'start') throw new Error(`expected a start, got ${event.kind}`);
  return event;
};

const state = (
  overrides: Partial<StartState> = {},
  job: Record<string, unknown> = {},
): StartState => ({
  namespace: 'prod',
  config: jobConfig(job),
  existing: undefined,
  previous: [],
  definition: definition(),
  clusterMissing: false,
  ...overrides,
});

const types = (actions: BatchAction[]) => actions.map((a) => a.type);
const alerts = (actions: BatchAction[]): BatchRunAlert[] =>
  actions.flatMap((a) => (a.type === 'notify' && a.alert.kind === 'batch-run' ? [a.alert] : []));
const startedRun = (actions: BatchAction[]): JobRun | undefined =>
  actions.flatMap((a) => (a.type === 'start-job-run' ? [a.run] : []))[0];

const AT = '2026-11-21T10:00:00Z';

/** A previous run (09:00) with one task still running. */
const previousRun = () => {
  const run = aRun(
    {},
    { runKey: '20261121T090000Z', startedBy: 'harbormaster/prod/nightly/20261121T090000Z' },
  );
  const first = launch('c0', [0, 1, 2]);
  return {
    run,
    facts: { launches: [first], outcomes: [outcome(taskOf(first, 0)), outcome(taskOf(first, 1))] },
    running: [taskOf(first, 2)],
  };
};

describe('Batch jobs: starting a run', () => {
  it('starts a run keyed by the job and its scheduled time, with the resolved revision and its essential containers', () => {
    // Act
    const decision = decideStart(fired(AT), state(), new Date(AT));
    // Assess
    expect(types(decision.actions)).toStrictEqual(['start-job-run', 'launch-job-tasks', 'notify']);
    expect(startedRun(decision.actions)).toMatchObject({
      job: 'nightly',
      runKey: '20261121T100000Z',
      status: 'running',
      startedBy: 'harbormaster/prod/nightly/20261121T100000Z',
      essentialContainers: ['FargateContainer'],
      spec: {
        cluster: 'batch',
        taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/report:7',
        tags: [
          { key: 'harbormaster:job', value: 'nightly' },
          { key: 'harbormaster:run', value: '20261121T100000Z' },
        ],
      },
      startWindowEndsAt: '2026-11-21T10:10:00.000Z',
      deadlineAt: '2026-11-21T11:00:00.000Z',
    });
  });

  it('resumes the recorded run on a duplicate delivery instead of starting another', () => {
    // Prepare
    const run = aRun({ count: 12 });
    const existing = {
      run,
      facts: { launches: [launch('c0', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], outcomes: [] },
    };
    // Act
    const decision = decideStart(fired(AT), state({ existing }), minutesAfter(1));
    // Assess
    expect(decision.reason).toBe('run 20261121T100000Z was already started: resuming it');
    expect(types(decision.actions)).toStrictEqual(['launch-job-tasks']);
    expect(decision.actions[0]).toMatchObject({ launches: [{ launchId: 'c1', slots: [10, 11] }] });
  });

  it('ignores a delivery for a run that already finished', () => {
    // Act
    const decision = decideStart(
      fired(AT),
      state({
        existing: { run: aRun({}, { status: 'succeeded' }), facts: { launches: [], outcomes: [] } },
      }),
      minutesAfter(30),
    );
    // Assess
    expect(decision).toStrictEqual({
      outcome: 'ignored',
      reason: 'run 20261121T100000Z already succeeded',
      actions: [],
    });
  });

  it('records a missed run, and alerts, when the invocation comes past the start window', () => {
    // Act
    const decision = decideStart(fired(AT), state(), minutesAfter(25));
    // Assess
    expect(types(decision.actions)).toStrictEqual(['start-job-run', 'notify']);
    expect(startedRun(decision.actions)).toMatchObject({
      status: 'missed',
      reason: "the schedule's invocation came 25 min late, past the 10-minute start window",
    });
    expect(alerts(decision.actions)[0]).toMatchObject({
      event: 'missed',
      severity: 'error',
      scheduledAt: '2026-11-21T10:00:00.000Z',
    });
  });

  it.each([
    ['the cluster does not exist', { clusterMissing: true }, {}, 'cluster batch does not exist'],
    [
      'the task family does not exist',
      { definition: undefined },
      {},
      'task definition report not found (no ACTIVE revision)',
    ],
    [
      'an awsvpc task definition has no network configuration',
      {},
      { launchType: 'EC2', network: undefined },
      'task definition report:7 uses the awsvpc network mode: batchJobs.jobs.nightly.network is required',
    ],
  ])(
    'fails the run with an alert naming what is missing when %s',
    (_label, overrides, job, reason) => {
      // Act
      const decision = decideStart(
        fired(AT),
        state(overrides as Partial<StartState>, job),
        new Date(AT),
      );
      // Assess
      expect(types(decision.actions)).toStrictEqual(['start-job-run', 'notify']);
      expect(startedRun(decision.actions)).toMatchObject({ status: 'failed', reason });
      expect(alerts(decision.actions)[0]).toMatchObject({
        event: 'not-started',
        reason,
        severity: 'error',
      });
    },
  );

  it.each([
    [
      'a job that is not configured',
      state({ config: undefined }),
      'job nightly is not in the configuration',
    ],
    [
      'a disabled job whose schedule still fired',
      state({}, { enabled: false }),
      'job nightly is disabled (batchJobs.jobs.nightly.enabled)',
    ],
  ])('ignores %s', (_label, given, reason) => {
    // Assess
    expect(decideStart(fired(AT), given, new Date(AT))).toMatchObject({
      outcome: 'ignored',
      reason,
    });
  });

  describe('overlap with the previous run', () => {
    it('Forbid: skips the run with an alert while the previous run still has tasks running', () => {
      // Act
      const decision = decideStart(
        fired(AT),
        state({ previous: [previousRun()] }, { concurrencyPolicy: 'Forbid' }),
        new Date(AT),
      );
      // Assess
      expect(types(decision.actions)).toStrictEqual(['start-job-run', 'notify']);
      expect(startedRun(decision.actions)).toMatchObject({
        status: 'skipped',
        reason:
          'the previous run 20261121T090000Z (1 task(s) running) is still active (concurrencyPolicy Forbid)',
      });
      expect(alerts(decision.actions)[0]).toMatchObject({ event: 'skipped', severity: 'warning' });
    });

    it('Forbid: closes a previous run whose tasks all finished, and starts', () => {
      // Prepare
      const previous = previousRun();
      previous.facts.outcomes.push(
        outcome(taskOf(previous.facts.launches[0] as ReturnType<typeof launch>, 2)),
      );
      // Act
      const decision = decideStart(
        fired(AT),
        state({ previous: [{ ...previous, running: [] }] }, { concurrencyPolicy: 'Forbid' }),
        new Date(AT),
      );
      // Assess
      expect(types(decision.actions)).toStrictEqual([
        'finish-job-run',
        'notify',
        'start-job-run',
        'launch-job-tasks',
        'notify',
      ]);
      expect(decision.actions[0]).toMatchObject({
        runKey: '20261121T090000Z',
        status: 'succeeded',
      });
    });

    it('Replace: stops the previous run\u2019s tasks and closes it as replaced, then starts', () => {
      // Act
      const decision = decideStart(
        fired(AT),
        state({ previous: [previousRun()] }, { concurrencyPolicy: 'Replace' }),
        new Date(AT),
      );
      // Assess
      expect(types(decision.actions)).toStrictEqual([
        'stop-job-task',
        'finish-job-run',
        'notify',
        'start-job-run',
        'launch-job-tasks',
        'notify',
      ]);
      expect(decision.actions[0]).toMatchObject({
        cluster: 'batch',
        reason:
          'Harbormaster: job nightly run 20261121T090000Z replaced by run 20261121T100000Z (concurrencyPolicy Replace)',
      });
      expect(decision.actions[1]).toMatchObject({ runKey: '20261121T090000Z', status: 'replaced' });
      expect(alerts(decision.actions)[0]).toMatchObject({
        status: 'replaced',
        severity: 'warning',
      });
    });

    it('Allow: starts beside the previous run and leaves it alone', () => {
      // Act
      const decision = decideStart(
        fired(AT),
        state({ previous: [previousRun()] }, { concurrencyPolicy: 'Allow' }),
        new Date(AT),
      );
      // Assess
      expect(types(decision.actions)).toStrictEqual([
        'start-job-run',
        'launch-job-tasks',
        'notify',
      ]);
      expect(decision.reason).toBe(
        'run 20261121T100000Z starts 3 task(s) (Allow: 1 previous run(s) active)',
      );
    });
  });

  it('runs a job now, outside its schedule, keyed by the request minute, even when disabled', () => {
    // Prepare
    const request = parseBatchEvent({
      runJob: { job: 'nightly', requestedAt: '2026-11-21T14:03:27Z', region: 'us-east-2' },
    });
    // Act
    const decision = decideStart(
      request as StartEvent,
      state({}, { enabled: false }),
      new Date('2026-11-21T14:03:28Z'),
    );
    // Assess
    expect(startedRun(decision.actions)).toMatchObject({
      runKey: '20261121T140300Z-manual',
      trigger: 'manual',
      startWindowEndsAt: '2026-11-21T14:13:28.000Z',
    });
    expect(types(decision.actions)).toStrictEqual(['start-job-run', 'launch-job-tasks', 'notify']);
  });
});
