import { describe, expect, it } from 'vitest';
import type { ServiceState } from '#aws/ecs/state.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import type { DeploymentWatch } from '#guard/records.ts';
import { fixture, type Json, withDetail } from '#support/events.ts';
import {
  decide,
  guardState,
  NEW_ID,
  newDeployment,
  oldDeployment,
  rollingOut,
  summary,
  watchOf,
} from '#support/guard.ts';

const ALARM = 'ServerCpuTooHigh';
/** The real alarm event of the CloudWatch docs (ServerCpuTooHigh going to ALARM). */
const alarmEvent = (): Json => fixture('cloudwatch-alarm-state-change-single-metric-docs');
const completedAt = (at: string): ServiceState =>
  rollingOut({
    deployments: [{ ...newDeployment, rolloutState: 'COMPLETED', updatedAt: new Date(at) }],
  });

describe('Deployment guard: a watched alarm goes to ALARM', () => {
  it.each<[string, ServiceState, Partial<DeploymentWatch>, object, Date, string[]]>([
    [
      'during the deployment: rolls back',
      rollingOut(),
      {},
      {},
      new Date('2020-05-23T11:12:00Z'),
      ['rollback to web:2', 'alert rolled-back', `end-watch ${NEW_ID}`],
    ],
    [
      'in the bake time after completion: rolls back to the target the watch remembers',
      completedAt('2020-05-23T11:08:00Z'),
      { completedAt: '2020-05-23T11:08:00Z', bakeUntil: '2020-05-23T11:18:00Z' },
      {},
      new Date('2020-05-23T11:12:00Z'),
      ['rollback to web:2', 'alert rolled-back', `end-watch ${NEW_ID}`],
    ],
    [
      'after the bake time: nothing',
      completedAt('2020-05-23T11:00:00Z'),
      { completedAt: '2020-05-23T11:00:00Z' },
      {},
      new Date('2020-05-23T11:12:00Z'),
      [],
    ],
    [
      'notify mode: alerts only',
      rollingOut(),
      {},
      { deploymentGuard: { alarms: { mode: 'notify' } } },
      new Date('2020-05-23T11:12:00Z'),
      ['alert would-roll-back'],
    ],
    [
      'alarm trigger off: nothing',
      rollingOut(),
      {},
      { deploymentGuard: { alarms: { mode: 'off' } } },
      new Date('2020-05-23T11:12:00Z'),
      [],
    ],
    [
      'on a deployment that did not change the task definition: alerts that there is nothing to roll back',
      rollingOut({
        deployments: [
          { ...newDeployment, taskDefinition: oldDeployment.taskDefinition },
          oldDeployment,
        ],
      }),
      {},
      {},
      new Date('2020-05-23T11:12:00Z'),
      ['alert cannot-roll-back'],
    ],
  ])('%s', (_label, ecs, watch, config, now, expected) => {
    // Act
    const decision = decide(
      alarmEvent(),
      guardState(ecs, {
        history: { watches: [watchOf({ alarms: [ALARM], ...watch })] },
        refs: [{ deploymentId: NEW_ID }],
      }),
      config,
      now,
    );
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
  });

  it.each<[string, Partial<ServiceState>, object, string]>([
    [
      'the service’s own alarms',
      { alarms: { alarmNames: [ALARM], enable: true, rollback: false } },
      {},
      "ServerCpuTooHigh (from the service's deploymentConfiguration.alarms)",
    ],
    [
      'the configuration',
      {},
      { deploymentGuard: { alarms: { names: [ALARM] } } },
      'ServerCpuTooHigh (from harbormaster.yml)',
    ],
    [
      'a tag',
      { tags: { 'harbormaster:guard:alarms': ALARM } },
      {},
      'ServerCpuTooHigh (from the harbormaster:guard:alarms tag)',
    ],
    [
      'only the watch (no longer named)',
      {},
      {},
      'ServerCpuTooHigh (watched since the deployment started; no longer named in the settings)',
    ],
  ])(
    'names the alarm, where it came from (%s) and its reason in the rollback alert',
    (_label, service, config, named) => {
      // Act
      const decision = decide(
        alarmEvent(),
        guardState(rollingOut(service), {
          history: { watches: [watchOf({ alarms: [ALARM] })] },
          refs: [{ deploymentId: NEW_ID }],
        }),
        config,
      );
      // Assess
      const alert = (decision.actions[1] as { alert: DeploymentGuardAlert }).alert;
      expect(alert).toMatchObject({ trigger: 'alarm', alarms: [ALARM] });
      expect(alert.reason).toBe(
        `${named} went to ALARM during the deployment: Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).`,
      );
    },
  );

  it('does not act on a service alarm whose ECS alarm rollback is switched off (enable false), even if the watch remembers it', () => {
    // Act
    const decision = decide(
      alarmEvent(),
      guardState(rollingOut({ alarms: { alarmNames: [ALARM], enable: false, rollback: false } }), {
        history: { watches: [watchOf({ alarms: [ALARM] })] },
        refs: [{ deploymentId: NEW_ID }],
      }),
    );
    // Assess
    expect(decision.outcome).toBe('ignored');
    expect(decision.reason).toBe('default/servicetest: the alarm trigger is off');
  });

  it('ignores an alarm no deployment watches, and one leaving ALARM', () => {
    // Assess
    expect(decide(alarmEvent(), guardState(rollingOut())).outcome).toBe('ignored');
    expect(
      decide(
        withDetail('cloudwatch-alarm-state-change-single-metric-docs', { state: { value: 'OK' } }),
        guardState(rollingOut(), { refs: [{ deploymentId: NEW_ID }] }),
      ).outcome,
    ).toBe('ignored');
  });

  it('ends the watch of a service that no longer exists', () => {
    // Act
    const decision = decide(
      alarmEvent(),
      guardState(undefined, {
        history: { watches: [watchOf({ alarms: [ALARM] })] },
        refs: [{ deploymentId: NEW_ID }],
      }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual([`end-watch ${NEW_ID}`]);
  });
});
