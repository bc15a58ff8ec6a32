import { describe, expect, it } from 'vitest';
import type { ServiceState } from '#aws/ecs/state.ts';
import type { WatchDeploymentAction } from '#guard/actions/deployment-watch.ts';
import type { DeploymentEventAlert } from '#guard/deployment-event-alert.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import type { AlarmStateValue } from '#guard/ports.ts';
import {
  decide,
  deploymentEvent,
  guardState,
  NEW_ID,
  NEW_TD,
  newDeployment,
  OLD_TD,
  rollbackRecord,
  rollingOut,
  summary,
} from '#support/guard.ts';
import { ARN, deployment } from '#support/services.ts';

const IN_PROGRESS = 'deployment-in-progress-docs';
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
      alarms: { alarmNames: ['svc-alarm'], enable: true, rollback: false },
    });
    // Act
    const watch = watchIn(decide(deploymentEvent(IN_PROGRESS), guardState(ecs), config));
    // Assess
    expect(watch.alarms).toStrictEqual(alarms);
    expect(watch.deadlineAt).toBe(deadlineAt);
  });

  it('never says "watched until" a deadline already past when the event arrives (a late or replayed event)', () => {
    // Prepare: the deployment started at 11:00; the event is handled 40 minutes later
    const late = new Date('2020-05-23T11:40:00Z');
    // Act
    const decision = decide(deploymentEvent(IN_PROGRESS), guardState(rollingOut()), {}, late);
    // Assess
    expect(decision.reason).toBe(
      'deployment ecs-svc/123 started: watched; its deadline 2020-05-23T11:30:00.000Z had passed when this event arrived (the next sweep decides)',
    );
  });

  it('does not watch the service’s alarms when its deploymentConfiguration.alarms.enable is false, and says so', () => {
    // Prepare: a team switched ECS's alarm rollback off (a noisy alarm); ECS keeps the names
    const ecs = rollingOut({
      alarms: { alarmNames: ['svc-alarm'], enable: false, rollback: false },
    });
    // Act
    const decision = decide(deploymentEvent(IN_PROGRESS), guardState(ecs), {
      deploymentGuard: { alarms: { names: ['web-5xx'] } },
    });
    // Assess
    expect(watchIn(decision).alarms).toStrictEqual(['web-5xx']);
    expect(decision.reason).toBe(
      "deployment ecs-svc/123 started: watched until its deadline, 2020-05-23T11:30:00.000Z; alarms web-5xx (from harbormaster.yml); not watching svc-alarm: the service's deploymentConfiguration.alarms has enable false",
    );
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
