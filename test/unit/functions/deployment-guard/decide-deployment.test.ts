import { describe, expect, it } from 'vitest';
import type { WatchDeploymentAction } from '../../../../shared/core/action.ts';
import type { DeploymentEventAlert, DeploymentGuardAlert } from '../../../../shared/core/alert.ts';
import type { ServiceState } from '../../../../shared/core/ecs-state.ts';
import type { AlarmStateValue } from '../../../../shared/core/ports.ts';
import {
  decide,
  deploymentEvent,
  guardState,
  NEW_ID,
  NEW_TD,
  newDeployment,
  OLD_ID,
  OLD_TD,
  oldDeployment,
  rollbackRecord,
  rollingOut,
  summary,
  watchOf,
} from '../../../support/guard.ts';
import { ARN, deployment } from '../../../support/services.ts';

const IN_PROGRESS = 'deployment-in-progress-docs';
const COMPLETED = 'deployment-completed-docs';
const FAILED = 'deployment-failed-circuit-breaker-docs';

const watchIn = (decision: ReturnType<typeof decide>) =>
  (decision.actions.find((a) => a.type === 'watch-deployment') as WatchDeploymentAction).watch;

describe('Deployment guard: a deployment starts (SERVICE_DEPLOYMENT_IN_PROGRESS)', () => {
  it('alerts "started" in the deployment thread and watches it until its deadline, remembering the rollback target', () => {
    // Act
    const decision = decide(deploymentEvent(IN_PROGRESS), guardState(rollingOut()));
    // Assess
    expect(summary(decision)).toStrictEqual(['alert started', `watch-deployment ${NEW_ID}`]);
    const started = decision.actions[0] as { alert: DeploymentEventAlert };
    expect(started.alert).toMatchObject({
      phase: 'started',
      threadId: 'ecs-default-servicetest-123',
      taskDefinition: NEW_TD,
      previousTaskDefinition: OLD_TD,
    });
    expect(decision.actions[1]).toMatchObject({
      dueAt: '2020-05-23T11:30:00.000Z',
      watch: {
        origin: 'deployment',
        taskDefinition: NEW_TD,
        previousTaskDefinition: OLD_TD,
        deadlineAt: '2020-05-23T11:30:00.000Z',
        alarms: [],
      },
    });
  });

  it.each<[string, Record<string, string>, object, string[], string | undefined]>([
    [
      'configured alarms and the service\u2019s own',
      {},
      { deploymentGuard: { alarms: { names: ['web-5xx'] } } },
      ['web-5xx', 'svc-alarm'],
      '2020-05-23T11:30:00.000Z',
    ],
    [
      'alarms from a tag, and a deadline from a tag',
      { 'harbormaster:guard:alarms': 'web-latency', 'harbormaster:guard:deadline': '45' },
      {},
      ['web-latency', 'svc-alarm'],
      '2020-05-23T11:45:00.000Z',
    ],
    [
      'no deadline when the deadline trigger is off',
      { 'harbormaster:guard:deadline': 'off' },
      {},
      ['svc-alarm'],
      undefined,
    ],
    [
      'no alarms when the alarm trigger is off',
      {},
      { deploymentGuard: { alarms: { mode: 'off', names: ['web-5xx'] } } },
      [],
      '2020-05-23T11:30:00.000Z',
    ],
    [
      'not the service\u2019s own alarms when told so',
      {},
      { deploymentGuard: { alarms: { useServiceAlarms: false } } },
      [],
      '2020-05-23T11:30:00.000Z',
    ],
  ])('watches %s', (_label, tags, config, alarms, deadlineAt) => {
    // Prepare
    const ecs = rollingOut({
      tags,
      alarms: { alarmNames: ['svc-alarm'], enable: false, rollback: false },
    });
    // Act
    const watch = watchIn(decide(deploymentEvent(IN_PROGRESS), guardState(ecs), config));
    // Assess
    expect(watch.alarms).toStrictEqual(alarms);
    expect(watch.deadlineAt).toBe(deadlineAt);
  });

  it.each<[string, 'report' | 'act', Record<string, AlarmStateValue>, string[]]>([
    [
      'is reported, and only reported by default',
      'report',
      { 'web-5xx': 'ALARM' },
      ['alert started', `watch-deployment ${NEW_ID}`, 'alert alarm-already-in-alarm'],
    ],
    [
      'fires the alarm trigger when configured to act',
      'act',
      { 'web-5xx': 'ALARM' },
      [
        'alert started',
        `watch-deployment ${NEW_ID}`,
        'alert alarm-already-in-alarm',
        'rollback to web:2',
        'alert rolled-back',
      ],
    ],
    [
      'is not mentioned when it is OK',
      'act',
      { 'web-5xx': 'OK' },
      ['alert started', `watch-deployment ${NEW_ID}`],
    ],
  ])(
    'an alarm already in ALARM at the start %s',
    (_label, alreadyInAlarm, alarmStates, expected) => {
      // Act
      const decision = decide(
        deploymentEvent(IN_PROGRESS),
        guardState(rollingOut(), { alarmStates }),
        { deploymentGuard: { alarms: { names: ['web-5xx'], alreadyInAlarm } } },
      );
      // Assess
      expect(summary(decision)).toStrictEqual(expected);
    },
  );

  it('says which alarm was in ALARM and what happens next', () => {
    // Act
    const decision = decide(
      deploymentEvent(IN_PROGRESS),
      guardState(rollingOut(), { alarmStates: { 'web-5xx': 'ALARM' } }),
      {
        deploymentGuard: { alarms: { names: ['web-5xx'] } },
      },
    );
    // Assess
    const alert = (decision.actions[2] as { alert: DeploymentGuardAlert }).alert;
    expect(alert).toMatchObject({
      event: 'alarm-already-in-alarm',
      alarms: ['web-5xx'],
      severity: 'warning',
    });
    expect(alert.reason).toMatch(
      /already in ALARM when the deployment started: it counts again once it returns to OK/,
    );
  });

  it('reports ECS\u2019s own rollback in the failed deployment\u2019s thread, and watches it as a rollback from now', () => {
    // Prepare: ECS rolls back to ecs-svc/123 (which completed before) from the failed ecs-svc/124
    const ecs = rollingOut({
      deployments: [
        {
          ...newDeployment,
          rolloutStateReason:
            'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/123.',
        },
        deployment({
          id: 'ecs-svc/124',
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          taskDefinition: `${ARN}:task-definition/web:4`,
        }),
      ],
    });
    // Act
    const decision = decide(
      deploymentEvent('deployment-in-progress-rollback-docs'),
      guardState(ecs),
    );
    // Assess
    expect(summary(decision)).toStrictEqual([
      'alert rollback-started',
      `watch-deployment ${NEW_ID}`,
    ]);
    expect((decision.actions[0] as { alert: DeploymentEventAlert }).alert.threadId).toBe(
      'ecs-default-servicetest-124',
    );
    expect(watchIn(decision)).toMatchObject({
      origin: 'ecs-rollback',
      rollbackOf: 'ecs-svc/124',
      startedAt: '2020-05-23T11:11:11.000Z',
      deadlineAt: '2020-05-23T11:41:11.000Z',
    });
  });

  it('recognises its own rollback from the record it claimed before UpdateService, and sends no second "started"', () => {
    // Prepare
    const rollback = deployment({
      id: NEW_ID,
      taskDefinition: OLD_TD,
      rolloutState: 'IN_PROGRESS',
      createdAt: new Date('2020-05-23T11:05:01Z'),
    });
    const record = rollbackRecord({
      fromDeploymentId: 'ecs-svc/124',
      fromTaskDefinition: `${ARN}:task-definition/web:4`,
      toTaskDefinition: OLD_TD,
      at: '2020-05-23T11:05:00Z',
      rollbackDeploymentId: undefined,
    });
    // Act
    const decision = decide(
      deploymentEvent(IN_PROGRESS),
      guardState(rollingOut({ deployments: [rollback] }), { history: { rollbacks: [record] } }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual([`watch-deployment ${NEW_ID}`]);
    expect(watchIn(decision)).toMatchObject({
      origin: 'guard-rollback',
      rollbackOf: 'ecs-svc/124',
    });
  });

  it.each<[string, Partial<ServiceState>]>([
    ['the CODE_DEPLOY controller', { deploymentController: 'CODE_DEPLOY' }],
    ['the EXTERNAL controller', { deploymentController: 'EXTERNAL' }],
    ['the ECS blue/green strategy', { strategy: 'BLUE_GREEN' }],
  ])('reports a service using %s as not guarded and leaves it alone', (_label, overrides) => {
    // Act
    const decision = decide(deploymentEvent(IN_PROGRESS), guardState(rollingOut(overrides)));
    // Assess
    expect(summary(decision)).toStrictEqual(['alert started', 'alert not-guarded']);
  });

  it('alerts a late "started" of a deployment already superseded, without watching it', () => {
    // Act
    const decision = decide(
      deploymentEvent(IN_PROGRESS),
      guardState(
        rollingOut({
          deployments: [
            deployment({ id: 'ecs-svc/124', rolloutState: 'IN_PROGRESS' }),
            { ...newDeployment, status: 'ACTIVE' },
          ],
        }),
      ),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert started']);
  });

  it('sends no lifecycle alert when deployment alerts are turned off, and still watches', () => {
    // Act
    const decision = decide(deploymentEvent(IN_PROGRESS), guardState(rollingOut()), {
      alerts: { deploymentEvents: { enabled: false } },
    });
    // Assess
    expect(summary(decision)).toStrictEqual([`watch-deployment ${NEW_ID}`]);
  });
});

describe('Deployment guard: a deployment completes (SERVICE_DEPLOYMENT_COMPLETED)', () => {
  const done = rollingOut({ deployments: [{ ...newDeployment, rolloutState: 'COMPLETED' }] });

  it('alerts "completed", ends the other watches and watches it through its bake time', () => {
    // Act
    const decision = decide(
      deploymentEvent(COMPLETED),
      guardState(done, { history: { watches: [watchOf(), watchOf({ deploymentId: OLD_ID })] } }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual([
      'alert completed',
      `end-watch ${OLD_ID}`,
      `update-watch ${NEW_ID}`,
    ]);
    expect(decision.actions[2]).toMatchObject({
      dueAt: '2020-05-23T11:21:11.000Z',
      watch: {
        completedAt: '2020-05-23T11:11:11.000Z',
        bakeUntil: '2020-05-23T11:21:11.000Z',
        deadlineAt: undefined,
      },
    });
  });

  it.each<[string, object, string[]]>([
    [
      'no bake time',
      { deploymentGuard: { bakeMinutes: 0 } },
      ['alert completed', `end-watch ${NEW_ID}`],
    ],
    [
      'nothing to watch after completion',
      { deploymentGuard: { failedTasks: { mode: 'off' } } },
      ['alert completed', `end-watch ${NEW_ID}`],
    ],
  ])('ends the watch with %s', (_label, config, expected) => {
    // Act
    const decision = decide(
      deploymentEvent(COMPLETED),
      guardState(done, { history: { watches: [watchOf()] } }),
      config,
    );
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
  });

  it('starts the bake-time watch of a deployment whose start it missed', () => {
    // Act
    const decision = decide(deploymentEvent(COMPLETED), guardState(done));
    // Assess
    expect(summary(decision)).toStrictEqual(['alert completed', `watch-deployment ${NEW_ID}`]);
  });

  it('says "rollback completed" in the thread of the deployment a rollback undid', () => {
    // Act
    const decision = decide(
      deploymentEvent(COMPLETED),
      guardState(done, {
        history: { watches: [watchOf({ origin: 'guard-rollback', rollbackOf: 'ecs-svc/124' })] },
      }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert rollback-completed', `end-watch ${NEW_ID}`]);
    expect((decision.actions[0] as { alert: DeploymentGuardAlert }).alert.threadId).toBe(
      'ecs-default-servicetest-124',
    );
  });
});

describe('Deployment guard: ECS fails a deployment (SERVICE_DEPLOYMENT_FAILED)', () => {
  const failedNew = {
    ...newDeployment,
    rolloutState: 'FAILED',
    rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
  };

  it.each<[string, ServiceState, string[], string]>([
    [
      'ECS is rolling back by itself: reported, not fought',
      rollingOut({
        deployments: [
          {
            ...oldDeployment,
            status: 'PRIMARY',
            rolloutState: 'IN_PROGRESS',
            rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${OLD_ID}.`,
          },
          { ...failedNew, status: 'ACTIVE' },
        ],
      }),
      ['alert failed'],
      'ECS is rolling back by itself',
    ],
    [
      'ECS failed it without rolling back: the guard rolls back',
      rollingOut({
        circuitBreaker: { enable: true, rollback: false },
        deployments: [failedNew, oldDeployment],
      }),
      ['alert failed', 'rollback to web:2', 'alert rolled-back'],
      'ecs-failure fired; rolling back to web:2',
    ],
    [
      'ECS is about to roll back (rollback on, a completed deployment to go to): left to ECS for a grace period',
      rollingOut({
        deployments: [{ ...failedNew, updatedAt: new Date('2020-05-23T11:11:11Z') }, oldDeployment],
      }),
      ['alert failed'],
      'rolls it back by itself (checked again at 2020-05-23T11:14:11.000Z)',
    ],
    [
      'ECS promised a rollback but has not started it 3 minutes on: the guard rolls back',
      rollingOut({
        deployments: [{ ...failedNew, updatedAt: new Date('2020-05-23T11:08:00Z') }, oldDeployment],
      }),
      ['alert failed', 'rollback to web:2', 'alert rolled-back'],
      'ecs-failure fired; rolling back to web:2',
    ],
    [
      'a first deployment: nothing to roll back to, and the alert says what to do',
      rollingOut({ deployments: [failedNew] }),
      ['alert failed', 'alert cannot-roll-back'],
      'no previous version',
    ],
  ])('%s', (_label, ecs, expected, reason) => {
    // Act
    const decision = decide(deploymentEvent(FAILED), guardState(ecs));
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
    expect(decision.reason).toContain(reason);
  });

  it('asks the sweep to look again when ECS’s grace period ends', () => {
    // Act
    const decision = decide(
      deploymentEvent(FAILED),
      guardState(
        rollingOut({
          deployments: [
            { ...failedNew, updatedAt: new Date('2020-05-23T11:11:11Z') },
            oldDeployment,
          ],
        }),
        {
          history: { watches: [watchOf()] },
        },
      ),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert failed', `update-watch ${NEW_ID}`]);
    expect(decision.actions[1]).toMatchObject({ dueAt: '2020-05-23T11:14:11.000Z' });
  });

  it('tells what to do about a first deployment that cannot be rolled back', () => {
    // Act
    const decision = decide(
      deploymentEvent(FAILED),
      guardState(rollingOut({ deployments: [failedNew] })),
    );
    // Assess
    const alert = (decision.actions[1] as { alert: DeploymentGuardAlert }).alert;
    expect(alert.reason).toContain(
      'this is the first deployment of the service: there is no previous version to roll back to',
    );
    expect(alert.nextSteps).toStrictEqual([
      'Fix the task definition and deploy it again.',
      'To stop ECS from retrying failing tasks meanwhile, set the desired count to 0.',
    ]);
  });

  it('only alerts when the ecs-failure trigger is off', () => {
    // Act
    const decision = decide(
      deploymentEvent(FAILED),
      guardState(
        rollingOut({
          circuitBreaker: { enable: true, rollback: false },
          deployments: [failedNew, oldDeployment],
        }),
      ),
      { deploymentGuard: { ecsFailure: { mode: 'off' } } },
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert failed']);
  });
});
