import { describe, expect, it } from 'vitest';
import type { ServiceState } from '#aws/ecs/state.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import type { DeploymentWatch } from '#guard/records.ts';
import { fixture, type Json } from '#support/events.ts';
import {
  decide,
  guardState,
  NEW_ID,
  newDeployment,
  oldDeployment,
  rollingOut,
  stoppedServiceTask,
  summary,
  watchOf,
} from '#support/guard.ts';
import { deployment } from '#support/services.ts';

/** The real EventBridge scheduled-rule event, at a given time. */
const sweepAt = (time: string): Json => ({
  ...fixture('scheduled-event-eventbridge-rule-docs'),
  time,
});

const completedAt = (at: string): ServiceState =>
  rollingOut({
    deployments: [{ ...newDeployment, rolloutState: 'COMPLETED', updatedAt: new Date(at) }],
  });

describe('Deployment guard: the one-minute sweep (deadline and bake time)', () => {
  const due = (
    ecs: ServiceState | undefined,
    watch: Partial<DeploymentWatch>,
    time: string,
    config = {},
    stopped: Json[] = [],
  ) =>
    decide(
      sweepAt(time),
      guardState(ecs, {
        history: { watches: [watchOf(watch)] },
        refs: [{ deploymentId: NEW_ID }],
        stoppedTasks: stopped,
      }),
      config,
      new Date(time),
    );

  it.each<[string, ServiceState | undefined, Partial<DeploymentWatch>, string, object, string[]]>([
    [
      'a deployment not COMPLETED by its deadline is rolled back',
      rollingOut(),
      {},
      '2020-05-23T11:30:00Z',
      {},
      ['rollback to web:2', 'alert rolled-back', `end-watch ${NEW_ID}`],
    ],
    [
      'in notify mode, an alert, and the watch stays for the alarms',
      rollingOut(),
      {},
      '2020-05-23T11:30:00Z',
      { deploymentGuard: { deadline: { mode: 'notify' } } },
      ['alert would-roll-back', `update-watch ${NEW_ID}`],
    ],
    [
      'a deadline moved later (tag changed) is waited for',
      rollingOut({ tags: { 'harbormaster:guard:deadline': '60' } }),
      {},
      '2020-05-23T11:30:00Z',
      {},
      [`update-watch ${NEW_ID}`],
    ],
    [
      'a deployment that baked without trouble stops being watched',
      completedAt('2020-05-23T11:10:00Z'),
      { completedAt: '2020-05-23T11:10:00Z', bakeUntil: '2020-05-23T11:20:00Z' },
      '2020-05-23T11:20:00Z',
      {},
      [`end-watch ${NEW_ID}`],
    ],
    [
      'a completion it missed starts the bake time',
      completedAt('2020-05-23T11:10:00Z'),
      {},
      '2020-05-23T11:30:00Z',
      {},
      [`update-watch ${NEW_ID}`],
    ],
    [
      'a superseded deployment stops being watched',
      rollingOut({
        deployments: [
          deployment({ id: 'ecs-svc/124', rolloutState: 'IN_PROGRESS' }),
          { ...newDeployment, status: 'ACTIVE' },
        ],
      }),
      {},
      '2020-05-23T11:30:00Z',
      {},
      [`end-watch ${NEW_ID}`],
    ],
    [
      'a deleted service stops being watched',
      undefined,
      {},
      '2020-05-23T11:30:00Z',
      {},
      [`end-watch ${NEW_ID}`],
    ],
    [
      'a deployment ECS failed, promising a rollback it never started, is rolled back after the grace period',
      rollingOut({
        deployments: [
          {
            ...newDeployment,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
            updatedAt: new Date('2020-05-23T11:10:00Z'),
          },
          oldDeployment,
        ],
      }),
      {},
      '2020-05-23T11:13:00Z',
      {},
      ['rollback to web:2', 'alert rolled-back', `end-watch ${NEW_ID}`],
    ],
    [
      'a first deployment ECS failed: says there is nothing to roll back to, once, and keeps the watch for its cleanup only',
      rollingOut({
        deployments: [
          {
            ...newDeployment,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
            updatedAt: new Date('2020-05-23T11:10:00Z'),
          },
        ],
      }),
      { previousTaskDefinition: undefined },
      '2020-05-23T11:13:00Z',
      {},
      ['alert cannot-roll-back', `update-watch ${NEW_ID}`],
    ],
    [
      'a deployment ECS failed moments ago is left to ECS until the grace period ends',
      rollingOut({
        deployments: [
          {
            ...newDeployment,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
            updatedAt: new Date('2020-05-23T11:12:00Z'),
          },
          oldDeployment,
        ],
      }),
      {},
      '2020-05-23T11:13:00Z',
      {},
      [`update-watch ${NEW_ID}`],
    ],
    [
      'a rollback that misses its deadline is never rolled back: an alert says so',
      rollingOut({
        deployments: [
          {
            ...newDeployment,
            rolloutStateReason:
              'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/123.',
          },
          deployment({ id: 'ecs-svc/124', status: 'ACTIVE', rolloutState: 'FAILED' }),
        ],
      }),
      { origin: 'ecs-rollback', rollbackOf: 'ecs-svc/124' },
      '2020-05-23T11:30:00Z',
      {},
      ['alert cannot-roll-back', `update-watch ${NEW_ID}`],
    ],
  ])('%s', (_label, ecs, watch, time, config, expected) => {
    // Act
    const decision = due(ecs, watch, time, config);
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
  });

  it('says after how many failures and minutes the deadline rolled back', () => {
    // Act
    const decision = due(rollingOut(), {}, '2020-05-23T11:30:00Z', {}, [
      stoppedServiceTask('crashed', 1),
    ]);
    // Assess
    const alert = (decision.actions[1] as { alert: DeploymentGuardAlert }).alert;
    expect(alert).toMatchObject({ trigger: 'deadline', failureCount: 1, minutes: 30 });
    expect(alert.reason).toBe(
      'The deployment is not COMPLETED 30 minutes after it started (deadline 2020-05-23T11:30:00.000Z).',
    );
  });

  it('does nothing when nothing is due', () => {
    // Assess
    expect(decide(sweepAt('2020-05-23T11:30:00Z'), guardState(rollingOut())).outcome).toBe(
      'ignored',
    );
  });
});
