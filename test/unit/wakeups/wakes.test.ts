import { describe, expect, it } from 'vitest';
import { wakeMinute, wakeupKey, wakeupName } from '#aws/wakeups/port.ts';
import { nextMissedCheck } from '#batch/missed-runs.ts';
import { fireTimes } from '#batch/schedule/fire-times.ts';
import type { BatchState, JobCheck } from '#batch/state.ts';
import { withBatchWakes } from '#batch/wakes.ts';
import type { GuardAction } from '#guard/actions/index.ts';
import type { DeploymentWatch } from '#guard/records.ts';
import type { GuardState } from '#guard/state.ts';
import { withGuardWakes } from '#guard/wakes.ts';
import { aRun, jobConfig } from '#support/job-runs.ts';

const NOW = new Date('2026-11-21T10:00:20Z');
const DAILY = { schedule: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin', startWindowMinutes: 10 };

const watch = (deploymentId: string): DeploymentWatch => ({
  cluster: 'prod',
  service: 'web',
  deploymentId,
  origin: 'deployment',
  taskDefinition: 'web:2',
  previousTaskDefinition: 'web:1',
  rollbackOf: undefined,
  startedAt: '2026-11-21T10:00:00.000Z',
  deadlineAt: '2026-11-21T10:30:00.000Z',
  completedAt: undefined,
  bakeUntil: undefined,
  alarms: [],
});

describe('Wake-ups: one schedule per function and minute', () => {
  it('rounds a due time up to its minute, never closer than 30 s to now, and names the schedule within 64 characters', () => {
    // Act
    const later = wakeMinute(new Date('2026-11-21T10:30:05Z'), NOW);
    const past = wakeMinute(new Date('2026-11-21T09:00:00Z'), NOW);
    const soon = wakeMinute(new Date('2026-11-21T10:00:40Z'), new Date('2026-11-21T10:00:35Z'));
    // Assess
    expect(later.toISOString()).toBe('2026-11-21T10:31:00.000Z');
    expect(past.toISOString()).toBe('2026-11-21T10:01:00.000Z');
    expect(soon.toISOString()).toBe('2026-11-21T10:02:00.000Z');
    const name = wakeupName('deployment-guard', later);
    expect(name).toBe('deployment-guard-20261121T1031');
    expect(name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });

  it('wakes the guard when each watch it starts or rewrites falls due: a deadline on its own wake-up, cancelled when the watch moves on; other due times share one per minute', () => {
    // Prepare: ecs-svc/2 was watched until its 10:40 deadline and now bakes until 10:29:30.
    const baking = {
      ...watch('ecs-svc/2'),
      deadlineAt: undefined,
      bakeUntil: '2026-11-21T10:29:30.000Z',
    };
    const actions: GuardAction[] = [
      { type: 'watch-deployment', watch: watch('ecs-svc/1'), dueAt: '2026-11-21T10:30:00.000Z' },
      { type: 'update-watch', watch: baking, dueAt: '2026-11-21T10:29:30.000Z' },
      {
        type: 'update-watch',
        watch: { ...baking, deploymentId: 'ecs-svc/3' },
        dueAt: '2026-11-21T10:29:50.000Z',
      },
    ];
    const state: GuardState = {
      services: [
        {
          cluster: 'prod',
          service: 'web',
          ecs: undefined,
          settings: undefined,
          history: {
            watches: [
              { ...watch('ecs-svc/2'), deadlineAt: '2026-11-21T10:40:00.000Z' },
              { ...watch('ecs-svc/4'), deadlineAt: '2026-11-21T10:50:00.000Z' },
            ],
            rollbacks: [],
          },
          stoppedTasks: [],
        },
      ],
      alarmStates: {},
      refs: [],
    };
    // Act
    const woken = withGuardWakes({ outcome: 'acted', reason: 'r', actions }, state);
    const ended = withGuardWakes(
      {
        outcome: 'acted',
        reason: 'r',
        actions: [{ type: 'end-watch', watch: watch('ecs-svc/4') }],
      },
      state,
    );
    // Assess
    const key = (id: string) => wakeupKey(`prod/web deployment ${id}`);
    expect(woken.actions.slice(3)).toStrictEqual([
      {
        type: 'wake',
        at: '2026-11-21T10:30:00.000Z',
        why: 'prod/web deployment ecs-svc/1',
        key: key('ecs-svc/1'),
      },
      { type: 'wake', at: '2026-11-21T10:29:30.000Z', why: 'prod/web deployment ecs-svc/2' },
      {
        type: 'cancel-wake',
        at: '2026-11-21T10:40:00.000Z',
        key: key('ecs-svc/2'),
        why: 'prod/web deployment ecs-svc/2: deadline no longer due',
      },
    ]);
    expect(ended.actions.map((a) => [a.type, 'at' in a ? a.at : undefined])).toStrictEqual([
      ['end-watch', undefined],
      ['cancel-wake', '2026-11-21T10:50:00.000Z'],
    ]);
  });

  it('wakes the batch check for a run that starts, at each next check of a run, and after a check at the earliest time a job\u2019s next run would count as missed', () => {
    // Prepare: 02:00 Europe/Berlin is 01:00 UTC in November.
    const hourly = { schedule: 'cron(30 * * * ? *)', timezone: 'UTC', startWindowMinutes: 5 };
    const check = (job: string, config: typeof DAILY): JobCheck => ({
      job,
      config: jobConfig(config),
      watermark: undefined,
      runs: [],
      active: [],
    });
    const sweep: BatchState = {
      kind: 'sweep',
      sweep: {
        namespace: 'harbormaster/test',
        jobs: [check('nightly', DAILY), check('hourly', hourly)],
        fireTimes,
      },
    };
    const run = aRun(DAILY, { status: 'running' });
    // Act
    const started = withBatchWakes(
      { outcome: 'acted', reason: 'r', actions: [{ type: 'start-job-run', run }] },
      { kind: 'none' },
      NOW,
    );
    const swept = withBatchWakes(
      {
        outcome: 'ignored',
        reason: 'r',
        actions: [
          {
            type: 'schedule-run-check',
            job: 'nightly',
            runKey: run.runKey,
            at: '2026-11-21T10:20:00.000Z',
          },
        ],
      },
      sweep,
      NOW,
    );
    // Assess
    expect(started.actions.at(-1)).toMatchObject({ type: 'wake', at: NOW.toISOString() });
    expect(swept.outcome).toBe('ignored');
    expect(swept.actions.filter((a) => a.type === 'wake').map((a) => a.at)).toStrictEqual(
      [
        // hourly's 10:30 run, counted missed after its 5-minute window and the 2-minute margin
        '2026-11-21T10:37:01.000Z',
        '2026-11-21T10:20:00.000Z',
      ].sort(),
    );
  });

  it('skips a scheduled time whose run started, and a disabled job', () => {
    // Prepare
    const started = aRun(DAILY, {
      runKey: '20261122T010000Z',
      scheduledAt: '2026-11-22T01:00:00.000Z',
      trigger: 'schedule',
    });
    // Act
    const next = nextMissedCheck(jobConfig(DAILY), [started], NOW, fireTimes);
    const off = nextMissedCheck(jobConfig({ ...DAILY, enabled: false }), [], NOW, fireTimes);
    // Assess
    expect(next?.toISOString()).toBe('2026-11-23T01:12:01.000Z');
    expect(off).toBeUndefined();
  });
});
