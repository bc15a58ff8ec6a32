import { describe, expect, it } from 'vitest';
import type { ServiceState } from '#aws/ecs/state.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import {
  decide,
  deploymentEvent,
  guardState,
  NEW_ID,
  newDeployment,
  OLD_ID,
  oldDeployment,
  rollingOut,
  summary,
  watchOf,
} from '#support/guard.ts';

const COMPLETED = 'deployment-completed-docs';
const FAILED = 'deployment-failed-circuit-breaker-docs';

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

describe('Deployment guard: ECS rollback completed before its start was seen', () => {
  it('says "rollback completed" in the failed deployment’s thread when the start is still being retried', () => {
    // Prepare: ECS brought web:2's deployment back; the guard watched web:3's, which never completed
    const revived = rollingOut({
      taskDefinition: oldDeployment.taskDefinition,
      deployments: [{ ...oldDeployment, status: 'PRIMARY', rolloutState: 'COMPLETED' }],
    });
    // Act
    const decision = decide(
      deploymentEvent(COMPLETED, { deploymentId: OLD_ID }),
      guardState(revived, { history: { watches: [watchOf()] } }),
    );
    // Assess
    expect(summary(decision)[0]).toBe('alert rollback-completed');
    expect((decision.actions[0] as { alert: DeploymentGuardAlert }).alert.threadId).toBe(
      'ecs-default-servicetest-123',
    );
  });

  it('says "rollback completed" when ECS still lists the newer deployment it failed', () => {
    // Prepare: no watch at all (every event of the failed deployment still on Lambda's retries)
    const revived = rollingOut({
      taskDefinition: oldDeployment.taskDefinition,
      deployments: [
        { ...oldDeployment, status: 'PRIMARY', rolloutState: 'COMPLETED' },
        { ...newDeployment, status: 'ACTIVE', rolloutState: 'FAILED' },
      ],
    });
    // Act
    const decision = decide(
      deploymentEvent(COMPLETED, { deploymentId: OLD_ID }),
      guardState(revived),
    );
    // Assess
    expect(summary(decision)[0]).toBe('alert rollback-completed');
    expect((decision.actions[0] as { alert: DeploymentGuardAlert }).alert.threadId).toBe(
      'ecs-default-servicetest-123',
    );
  });

  it('says "completed" for a deployment that undoes nothing the guard watched', () => {
    // Prepare: the watched deployment completed before
    const revived = rollingOut({
      taskDefinition: oldDeployment.taskDefinition,
      deployments: [{ ...oldDeployment, status: 'PRIMARY', rolloutState: 'COMPLETED' }],
    });
    // Act
    const decision = decide(
      deploymentEvent(COMPLETED, { deploymentId: OLD_ID }),
      guardState(revived, {
        history: { watches: [watchOf({ completedAt: '2020-05-23T11:10:00.000Z' })] },
      }),
    );
    // Assess
    expect(summary(decision)[0]).toBe('alert completed');
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
