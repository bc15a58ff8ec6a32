import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '#config/schema.ts';
import type { RollbackAction } from '#guard/actions/rollback.ts';
import type { DeploymentGuardAlert } from '#guard/deployment-guard-alert.ts';
import {
  decide,
  guardState,
  NEW_ID,
  NEW_TD,
  newDeployment,
  OLD_TD,
  oldDeployment,
  rollbackRecord,
  rollingOut,
  type StopStory,
  stoppedServiceTask,
  summary,
  watchOf,
} from '#support/guard.ts';
import { deployment } from '#support/services.ts';

/** The n-th failed task arrives, with the earlier ones listed by ListTasks/DescribeTasks. */
const nth = (stories: StopStory[], config: ConfigInput = {}) => {
  const events = stories.map((story, i) => stoppedServiceTask(story, i + 1));
  const last = events[events.length - 1] as (typeof events)[number];
  return decide(last, guardState(rollingOut(), { stoppedTasks: events.slice(0, -1) }), config);
};

describe('Deployment guard: failed tasks of the new deployment', () => {
  it.each<[string, StopStory[], ConfigInput, string[]]>([
    [
      'a first failure is alerted and tallied',
      ['crashed'],
      {},
      ['alert failing', 'tally-failures'],
    ],
    [
      'a second failure is alerted once more (deduplicated)',
      ['crashed', 'crashed'],
      {},
      ['alert failing', 'tally-failures'],
    ],
    [
      'the third failure rolls back to the last completed task definition',
      ['failed-to-start', 'crashed', 'health-check'],
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'image pull failures count',
      ['failed-to-start', 'failed-to-start', 'failed-to-start'],
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'crashes after running count (ECS\u2019s breaker never does)',
      ['crashed', 'crashed', 'crashed'],
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'health-check kills count',
      ['health-check', 'health-check', 'health-check'],
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'out-of-memory kills count',
      ['oom', 'oom', 'oom'],
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'a healthy task in between resets nothing (cumulative)',
      ['crashed', 'exited-0', 'crashed', 'scale-in', 'crashed'],
      {},
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'scale-in, user stops and Spot interruptions never count',
      ['scale-in', 'user-stop', 'spot', 'crashed'],
      {},
      ['alert failing', 'tally-failures'],
    ],
    [
      'a count of 1 rolls back at once',
      ['crashed'],
      { deploymentGuard: { failedTasks: { count: 1 } } },
      ['alert failing', 'rollback to web:2', 'alert rolled-back'],
    ],
    [
      'a count of 5 waits for five',
      ['crashed', 'crashed', 'crashed', 'crashed'],
      { deploymentGuard: { failedTasks: { count: 5 } } },
      ['alert failing', 'tally-failures'],
    ],
    [
      'notify mode alerts instead of rolling back',
      ['crashed', 'crashed', 'crashed'],
      { deploymentGuard: { failedTasks: { mode: 'notify' } } },
      ['alert failing', 'alert would-roll-back'],
    ],
    [
      'a per-service entry turns it off',
      ['crashed', 'crashed', 'crashed'],
      {
        deploymentGuard: {
          services: [{ cluster: 'default', service: 'servicetest', failedTasks: { mode: 'off' } }],
        },
      },
      [],
    ],
  ])('%s', (_label, stories, config, expected) => {
    // Act
    const decision = nth(stories, config);
    // Assess
    expect(summary(decision)).toStrictEqual(expected);
  });

  it.each<[string, StopStory]>([
    ['a scale-in stop', 'scale-in'],
    ['a user stop', 'user-stop'],
    ['a Spot interruption', 'spot'],
    ['a clean exit', 'exited-0'],
  ])('ignores %s without reading ECS', (_label, story) => {
    // Act
    const decision = decide(stoppedServiceTask(story), guardState(undefined));
    // Assess
    expect(decision.outcome).toBe('ignored');
  });

  it('counts a task of the new task definition started during the deployment, not one of another deployment', () => {
    // Prepare
    const replacement = stoppedServiceTask('crashed', 1, { startedBy: 'ecs-svc/999' });
    const older = stoppedServiceTask('crashed', 2, {
      startedBy: 'ecs-svc/998',
      createdAt: '2020-05-23T10:00:00Z',
    });
    const other = stoppedServiceTask('crashed', 3, {
      startedBy: 'ecs-svc/997',
      taskDefinitionArn: OLD_TD,
    });
    // Act
    const decision = decide(
      stoppedServiceTask('crashed', 4),
      guardState(rollingOut(), { stoppedTasks: [replacement, older, other] }),
    );
    // Assess
    const failing = decision.actions[0] as { alert: DeploymentGuardAlert };
    expect(failing.alert.failureCount).toBe(2);
  });

  it('counts a redelivered task event once', () => {
    // Prepare
    const first = stoppedServiceTask('crashed', 1);
    // Act: ListTasks already shows the task the event is about, twice
    const decision = decide(
      stoppedServiceTask('crashed', 2),
      guardState(rollingOut(), { stoppedTasks: [first, first, stoppedServiceTask('crashed', 2)] }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert failing', 'tally-failures']);
    expect(decision.actions[1]).toMatchObject({ type: 'tally-failures', threshold: 3 });
    expect((decision.actions[1] as { taskArns: string[] }).taskArns).toHaveLength(2);
  });

  it('names the trigger, the target, the failures with their reasons and exit codes, and the minutes', () => {
    // Act
    const decision = nth(['failed-to-start', 'crashed', 'oom']);
    // Assess
    const rollback = decision.actions[1] as RollbackAction;
    expect(rollback).toMatchObject({
      type: 'rollback',
      cluster: 'default',
      service: 'servicetest',
      taskDefinition: OLD_TD,
      record: {
        fromDeploymentId: NEW_ID,
        fromTaskDefinition: NEW_TD,
        toTaskDefinition: OLD_TD,
        trigger: 'failed-tasks',
      },
    });
    const rolled = (decision.actions[2] as { alert: DeploymentGuardAlert }).alert;
    expect(rolled).toMatchObject({
      event: 'rolled-back',
      trigger: 'failed-tasks',
      targetTaskDefinition: OLD_TD,
      failureCount: 3,
      threshold: 3,
      minutes: 12,
      threadId: 'ecs-default-servicetest-123',
    });
    expect(rolled.failures.map((f) => [f.kind, f.exits[0]?.exitCode])).toStrictEqual([
      ['failed-to-start', undefined],
      ['crashed', 1],
      ['out-of-memory', 137],
    ]);
    expect(rolled.failures[0]?.stoppedReason).toMatch(/^CannotPullContainerError/);
  });

  it.each([
    [
      'superseded by a newer deployment',
      rollingOut({
        deployments: [
          deployment({ id: 'ecs-svc/124', rolloutState: 'IN_PROGRESS' }),
          { ...newDeployment, status: 'ACTIVE' },
        ],
      }),
    ],
    [
      'completed and baked long ago',
      rollingOut({
        deployments: [
          {
            ...newDeployment,
            rolloutState: 'COMPLETED',
            updatedAt: new Date('2020-05-23T11:01:00Z'),
          },
        ],
      }),
    ],
    ['gone from ECS', rollingOut({ deployments: [oldDeployment] })],
  ])('ignores a failure of a deployment %s', (_label, ecs) => {
    // Act
    const decision = decide(stoppedServiceTask('crashed'), guardState(ecs));
    // Assess
    expect(decision.outcome).toBe('ignored');
  });

  it('still counts failures in the bake time after completion, rolling back to the target the watch remembers', () => {
    // Prepare
    const completed = rollingOut({
      deployments: [
        {
          ...newDeployment,
          rolloutState: 'COMPLETED',
          updatedAt: new Date('2020-05-23T11:08:00Z'),
        },
      ],
    });
    const history = {
      watches: [
        watchOf({ completedAt: '2020-05-23T11:08:00Z', bakeUntil: '2020-05-23T11:18:00Z' }),
      ],
    };
    // Act
    const decision = decide(
      stoppedServiceTask('crashed', 3),
      guardState(completed, {
        history,
        stoppedTasks: [stoppedServiceTask('crashed', 1), stoppedServiceTask('crashed', 2)],
      }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual([
      'alert failing',
      'rollback to web:2',
      'alert rolled-back',
      `end-watch ${NEW_ID}`,
    ]);
  });

  it('never loops: the last completed task definition was itself rolled back before, so no rollback to it', () => {
    // Prepare: web:2 completed once, then was rolled back by an alarm in its bake time
    const history = {
      rollbacks: [
        rollbackRecord({
          fromDeploymentId: 'ecs-svc/122',
          fromTaskDefinition: OLD_TD,
          toTaskDefinition: 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:1',
          trigger: 'alarm',
        }),
      ],
    };
    // Act
    const decision = decide(
      stoppedServiceTask('crashed', 3),
      guardState(rollingOut(), {
        history,
        stoppedTasks: [stoppedServiceTask('crashed', 1), stoppedServiceTask('crashed', 2)],
      }),
    );
    // Assess
    expect(summary(decision)).toStrictEqual(['alert failing', 'alert cannot-roll-back']);
    expect(decision.reason).toContain('web:2, itself failed on this service before');
  });

  it('does nothing more once the deployment was rolled back (a redelivered or concurrent event)', () => {
    // Act
    const decision = decide(
      stoppedServiceTask('crashed', 3),
      guardState(rollingOut(), {
        history: {
          rollbacks: [rollbackRecord({ fromDeploymentId: NEW_ID, fromTaskDefinition: NEW_TD })],
        },
        stoppedTasks: [stoppedServiceTask('crashed', 1), stoppedServiceTask('crashed', 2)],
      }),
    );
    // Assess: its rollback answered (UpdateService started deployment ecs-svc/...), no more
    // counting, no alert.
    expect(summary(decision)).toStrictEqual([]);
    expect(decision.reason).toBe(
      `the rollback of deployment ${NEW_ID} is done: nothing more to count`,
    );
  });

  it('counts a failure in the guard\u2019s table, without ECS, while its tally stays below the threshold', () => {
    // Prepare: two failures tallied against a threshold of 5; ECS was not described
    const tally = { deploymentId: NEW_ID, threshold: 5, taskArns: ['arn:a', 'arn:b'] };
    const event = stoppedServiceTask('crashed', 3);
    const taskArn = (event.detail as { taskArn: string }).taskArn;
    // Act
    const counted = decide(event, guardState(undefined, { history: { tallies: [tally] } }));
    const again = decide(
      event,
      guardState(undefined, {
        history: {
          tallies: [{ ...tally, taskArns: [...tally.taskArns, taskArn] }],
        },
      }),
    );
    // Assess
    expect(counted.actions).toStrictEqual([
      expect.objectContaining({
        type: 'tally-failures',
        threshold: 5,
        taskArns: [taskArn],
      }),
    ]);
    expect(counted.reason).toBe("3 of 5 failed tasks (counted in the guard's table)");
    expect(again.outcome).toBe('ignored');
  });
});
