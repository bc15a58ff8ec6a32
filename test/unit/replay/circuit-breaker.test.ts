import { describe, expect, it } from 'vitest';
import {
  breakerConfigOf,
  judgeBreaker,
  type TaskObservation,
  thresholdOf,
} from '#apps/replay/circuit-breaker.ts';

const DEFAULT = breakerConfigOf(undefined);
const at = (minute: number) => `2026-11-21T09:${String(minute).padStart(2, '0')}:00Z`;
const task = (n: number, minute: number, kind: TaskObservation['stopKind'], started = true) => ({
  at: at(minute),
  taskArn: `task/${n}`,
  lastStatus: kind ? 'STOPPED' : 'RUNNING',
  started,
  stopKind: kind,
});
const judge = (tasks: TaskObservation[], desired = 4, config = DEFAULT) =>
  judgeBreaker(tasks, { config, desired, completed: false, hasTarget: true });

describe("ECS's deployment circuit breaker, as documented, over recorded tasks", () => {
  it.each<[number, number, string]>([
    [1, 3, 'max(3, min(200, ceil(1 × 50%))) = 3'],
    [8, 4, 'max(3, min(200, ceil(8 × 50%))) = 4'],
    [25, 13, 'max(3, min(200, ceil(25 × 50%))) = 13'],
    [800, 200, 'max(3, min(200, ceil(800 × 50%))) = 200'],
  ])('desired %i: threshold %i (%s)', (desired, threshold, formula) => {
    // Assess
    expect(thresholdOf(DEFAULT, desired)).toStrictEqual({ value: threshold, formula });
  });

  it('reads thresholdConfiguration and resetOnHealthyTask from the service when set', () => {
    // Prepare
    const config = breakerConfigOf({
      deploymentConfiguration: {
        deploymentCircuitBreaker: {
          enable: true,
          rollback: true,
          resetOnHealthyTask: false,
          thresholdConfiguration: { type: 'COUNT', value: 2 },
        },
      },
    });
    // Assess
    expect(thresholdOf(config, 50).value).toBe(2);
    expect(config).toMatchObject({ enable: true, rollback: true, resetOnHealthyTask: false });
  });

  it('counts tasks that never started and health-check kills, and fails the deployment at the threshold', () => {
    // Act
    const verdict = judge([
      task(1, 1, 'failed-to-start', false),
      task(2, 2, 'health-check-failed'),
      task(3, 3, 'user-stopped'),
      task(4, 4, 'health-check-failed'),
    ]);
    // Assess
    expect(verdict).toMatchObject({ threshold: 3, tripsAt: at(4), counted: 3, resetAt: undefined });
    expect(verdict.blindSpots).toStrictEqual([]);
  });

  it('never counts crashes after running, and a task that ran resets the count (its blind spots)', () => {
    // Act
    const verdict = judge([
      task(1, 1, 'failed-to-start', false),
      task(2, 2, undefined),
      task(2, 3, 'crashed'),
      task(3, 4, 'failed-to-start', false),
      task(4, 5, 'out-of-memory'),
    ]);
    // Assess
    expect(verdict).toMatchObject({ tripsAt: undefined, counted: 0, resetAt: at(2) });
    expect(verdict.notCounted).toStrictEqual({ crashed: 1, 'out-of-memory': 1 });
    expect(verdict.blindSpots).toStrictEqual([
      '2 tasks crashed or ran out of memory after running: the breaker does not count them (containers-roadmap #1206)',
      `a task that ran at ${at(2)} (taken as healthy: task events carry no health status) reset the count to 0 and ended the evaluation (resetOnHealthyTask)`,
      'no deadline: a deployment that never reaches steady state without enough counted failures is never failed',
    ]);
  });

  it('says a first deployment would stall: nothing completed to roll back to', () => {
    // Act
    const verdict = judgeBreaker(
      [1, 2, 3].map((n) => task(n, n, 'failed-to-start', false)),
      { config: DEFAULT, desired: 1, completed: false, hasTarget: false },
    );
    // Assess
    expect(verdict.tripsAt).toBe(at(3));
    expect(verdict.blindSpots).toStrictEqual([
      'nothing COMPLETED to roll back to: the deployment would stall, FAILED',
    ]);
  });
});
