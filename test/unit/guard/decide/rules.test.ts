import { describe, expect, it } from 'vitest';
import type { ServiceState } from '#aws/ecs/state.ts';
import { parseConfig } from '#config/parse.ts';
import { factsAbout } from '#guard/deployment-facts.ts';
import type { DeploymentOrigin, RollbackRecord } from '#guard/records.ts';
import { ecsControllerOnly } from '#guard/rules/ecs-controller-only.ts';
import { verdictOf } from '#guard/rules/index.ts';
import { leaveEcsRollbackToEcs } from '#guard/rules/leave-ecs-rollback-to-ecs.ts';
import { needsAPreviousVersion } from '#guard/rules/needs-a-previous-version.ts';
import { neverRollBackARollback } from '#guard/rules/never-roll-back-a-rollback.ts';
import { oncePerDeployment } from '#guard/rules/once-per-deployment.ts';
import type { RollbackPlan, RollbackRule } from '#guard/rules/rule.ts';
import { serviceDeploymentStoppable } from '#guard/rules/service-deployment-stoppable.ts';
import { stillCurrent } from '#guard/rules/still-current.ts';
import { targetNeverFailed } from '#guard/rules/target-never-failed.ts';
import { taskDefinitionChanged } from '#guard/rules/task-definition-changed.ts';
import type { ServiceDeploymentFacts } from '#guard/service-deployments.ts';
import { resolveGuardSettings } from '#guard/settings.ts';
import {
  NEW_ID,
  NEW_TD,
  NOW,
  newDeployment,
  OLD_TD,
  oldDeployment,
  rollbackRecord,
  rollingOut,
} from '#support/guard.ts';
import { deployment } from '#support/services.ts';

const META = {
  id: 'e-1',
  detailType: 'ECS Task State Change',
  source: 'aws.ecs',
  account: '111122223333',
  region: 'us-west-2',
  time: NOW,
};

const plan = (
  options: {
    ecs?: ServiceState;
    origin?: DeploymentOrigin;
    target?: string | undefined;
    failed?: string[];
    rollbacks?: RollbackRecord[];
    serviceDeployment?: ServiceDeploymentFacts;
    afterCleanUp?: 'redeploy' | 'alert';
  } = {},
): RollbackPlan => ({
  facts: factsAbout(
    META,
    {
      cluster: 'default',
      service: 'servicetest',
      ecs: options.ecs ?? rollingOut(),
      settings: resolveGuardSettings(
        parseConfig(
          { deploymentGuard: { afterCleanUp: options.afterCleanUp ?? 'redeploy' } },
          'test',
        ).deploymentGuard,
        'default',
        'servicetest',
        options.ecs ?? rollingOut(),
      ),
      history: { watches: [], rollbacks: options.rollbacks ?? [] },
      stoppedTasks: [],
      ...(options.serviceDeployment
        ? { serviceDeployments: { [NEW_ID]: options.serviceDeployment } }
        : {}),
    },
    NEW_ID,
    NOW,
  ),
  origin: options.origin ?? 'deployment',
  target: 'target' in options ? options.target : OLD_TD,
  failedTaskDefinitions: new Set(options.failed ?? []),
});

/** A service deployment behind the new deployment, in a status and a stage. */
const serviceDeployment = (
  status: string,
  lifecycleStage = 'PRODUCTION_TRAFFIC_SHIFT',
): ServiceDeploymentFacts => ({
  id: 'sd-1',
  targetTaskDefinition: NEW_TD,
  sourceTaskDefinition: OLD_TD,
  deployment: {
    arn: 'arn:aws:ecs:us-west-2:111122223333:service-deployment/default/servicetest/sd-1',
    serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/default/servicetest',
    clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/default',
    status,
    statusReason: undefined,
    lifecycleStage,
    createdAt: undefined,
    startedAt: undefined,
    finishedAt: undefined,
    updatedAt: undefined,
    source: [],
    target: undefined,
    hooks: [],
    strategy: 'BLUE_GREEN',
    bakeTimeInMinutes: undefined,
    canary: undefined,
    linear: undefined,
    rollback: undefined,
    alarms: undefined,
  },
});

const minutesBefore = (minutes: number): string =>
  new Date(NOW.getTime() - minutes * 60_000).toISOString();

describe('Deployment guard rollback rules', () => {
  it.each<[string, RollbackRule, RollbackPlan, RollbackPlan, 'ignore' | 'block', RegExp]>([
    [
      'still-current: only the current deployment is rolled back',
      stillCurrent,
      plan(),
      plan({
        ecs: rollingOut({
          deployments: [
            deployment({ id: 'ecs-svc/124', rolloutState: 'IN_PROGRESS' }),
            { ...newDeployment, status: 'ACTIVE' },
          ],
        }),
      }),
      'ignore',
      /no longer the current one \(ecs-svc\/124 is\)/,
    ],
    [
      'once-per-deployment: a deployment is rolled back once',
      oncePerDeployment,
      plan({ rollbacks: [rollbackRecord()] }),
      plan({ rollbacks: [rollbackRecord({ fromDeploymentId: NEW_ID })] }),
      'ignore',
      /already rolled back to web:2/,
    ],
    [
      'once-per-deployment: a rollback in hand (UpdateService not answered yet) is not decided again',
      oncePerDeployment,
      plan({ rollbacks: [rollbackRecord({ rollbackDeploymentId: undefined })] }),
      plan({
        rollbacks: [
          rollbackRecord({
            fromDeploymentId: NEW_ID,
            rollbackDeploymentId: undefined,
            at: minutesBefore(2),
          }),
        ],
      }),
      'ignore',
      /is being rolled back to web:2/,
    ],
    [
      'once-per-deployment: a rollback begun and abandoned (past Lambda’s retries) is decided again',
      oncePerDeployment,
      plan({
        rollbacks: [
          rollbackRecord({
            fromDeploymentId: NEW_ID,
            rollbackDeploymentId: undefined,
            at: minutesBefore(6),
          }),
        ],
      }),
      plan({
        rollbacks: [
          rollbackRecord({
            fromDeploymentId: NEW_ID,
            rollbackDeploymentId: undefined,
            at: minutesBefore(4),
          }),
        ],
      }),
      'ignore',
      /is being rolled back to web:2/,
    ],
    [
      'leave-ecs-rollback-to-ecs: a deployment ECS failed and will roll back is left to ECS for 3 minutes',
      leaveEcsRollbackToEcs,
      plan({
        ecs: rollingOut({
          deployments: [
            {
              ...newDeployment,
              rolloutState: 'FAILED',
              updatedAt: new Date('2020-05-23T11:08:00Z'),
            },
            oldDeployment,
          ],
        }),
      }),
      plan({
        ecs: rollingOut({
          deployments: [
            {
              ...newDeployment,
              rolloutState: 'FAILED',
              updatedAt: new Date('2020-05-23T11:10:00Z'),
            },
            oldDeployment,
          ],
        }),
      }),
      'ignore',
      /rolls it back by itself \(checked again at 2020-05-23T11:13:00.000Z\)/,
    ],
    [
      'leave-ecs-rollback-to-ecs: not when ECS has nothing to roll back to',
      leaveEcsRollbackToEcs,
      plan({
        ecs: rollingOut({
          deployments: [
            {
              ...newDeployment,
              rolloutState: 'FAILED',
              updatedAt: new Date('2020-05-23T11:10:00Z'),
            },
          ],
        }),
      }),
      plan({
        ecs: rollingOut({
          deployments: [
            {
              ...newDeployment,
              rolloutState: 'FAILED',
              updatedAt: new Date('2020-05-23T11:10:00Z'),
            },
            oldDeployment,
          ],
        }),
      }),
      'ignore',
      /by itself/,
    ],
    [
      'ecs-controller-only: CODE_DEPLOY is left alone',
      ecsControllerOnly,
      plan({ ecs: rollingOut({ strategy: 'ROLLING' }) }),
      plan({ ecs: rollingOut({ deploymentController: 'CODE_DEPLOY' }) }),
      'block',
      /the CODE_DEPLOY deployment controller/,
    ],
    [
      'ecs-controller-only: ECS blue/green is rolled back once its service deployment is known',
      ecsControllerOnly,
      plan({
        ecs: rollingOut({ strategy: 'BLUE_GREEN' }),
        serviceDeployment: serviceDeployment('IN_PROGRESS'),
      }),
      plan({ ecs: rollingOut({ strategy: 'BLUE_GREEN' }) }),
      'block',
      /the BLUE_GREEN strategy and ListServiceDeployments shows no service deployment/,
    ],
    [
      'service-deployment-stoppable: one ECS already rolls back is left to it',
      serviceDeploymentStoppable,
      plan({ serviceDeployment: serviceDeployment('IN_PROGRESS', 'BAKE_TIME') }),
      plan({ serviceDeployment: serviceDeployment('ROLLBACK_IN_PROGRESS') }),
      'ignore',
      /ECS is already rolling service deployment sd-1 back \(ROLLBACK_IN_PROGRESS\)/,
    ],
    [
      'service-deployment-stoppable: after CLEAN_UP, only an alert when so configured',
      serviceDeploymentStoppable,
      plan({ serviceDeployment: serviceDeployment('SUCCESSFUL', 'CLEAN_UP') }),
      plan({
        serviceDeployment: serviceDeployment('SUCCESSFUL', 'CLEAN_UP'),
        afterCleanUp: 'alert',
      }),
      'block',
      /is SUCCESSFUL \(CLEAN_UP\): blue is gone, and a rollback would be a new deployment/,
    ],
    [
      'never-roll-back-a-rollback: not ECS\u2019s',
      neverRollBackARollback,
      plan({ origin: 'deployment' }),
      plan({ origin: 'ecs-rollback' }),
      'block',
      /a rollback by ECS/,
    ],
    [
      'never-roll-back-a-rollback: not the guard\u2019s own',
      neverRollBackARollback,
      plan({ origin: 'deployment' }),
      plan({ origin: 'guard-rollback' }),
      'block',
      /a rollback by Harbormaster/,
    ],
    [
      'needs-a-previous-version: a first deployment has nothing to roll back to',
      needsAPreviousVersion,
      plan(),
      plan({ target: undefined, ecs: rollingOut({ deployments: [newDeployment] }) }),
      'block',
      /first deployment of the service/,
    ],
    [
      'needs-a-previous-version: a deployment whose start is not recorded yet is waited for',
      needsAPreviousVersion,
      plan(),
      plan({
        target: undefined,
        ecs: rollingOut({
          deployments: [{ ...newDeployment, createdAt: new Date(NOW.getTime() - 2 * 60_000) }],
        }),
      }),
      'ignore',
      /start of deployment ecs-svc\/123 is not recorded yet/,
    ],
    [
      'needs-a-previous-version: nothing that completed earlier',
      needsAPreviousVersion,
      plan(),
      plan({
        target: undefined,
        ecs: rollingOut({
          deployments: [newDeployment, { ...oldDeployment, rolloutState: 'FAILED' }],
        }),
      }),
      'block',
      /no earlier deployment of the service completed/,
    ],
    [
      'task-definition-changed: an unchanged task definition is not rolled back',
      taskDefinitionChanged,
      plan(),
      plan({ target: NEW_TD }),
      'block',
      /did not change the task definition \(web:3\)/,
    ],
    [
      'target-never-failed: never back to a task definition that failed',
      targetNeverFailed,
      plan({ failed: ['arn:aws:ecs:us-west-2:111122223333:task-definition/web:1'] }),
      plan({ failed: [OLD_TD] }),
      'block',
      /web:2, itself failed on this service before/,
    ],
  ])('%s', (_label, rule, compliant, nonCompliant, outcome, reason) => {
    // Assess
    expect(verdictOf(rule, compliant)).toBeUndefined();
    expect(verdictOf(rule, nonCompliant)).toMatchObject({
      outcome,
      reason: expect.stringMatching(reason),
    });
  });
});

describe('Function: verdictOf, when a rule throws', () => {
  it('blocks the rollback and names the rule instead of breaking the decision', () => {
    // Prepare
    const broken: RollbackRule = {
      id: 'broken-rule',
      title: 'A rule with a bug',
      check: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    };
    // Act
    const verdict = verdictOf(broken, plan({}));
    // Assess
    expect(verdict).toMatchObject({
      rule: 'broken-rule',
      outcome: 'block',
      reason: expect.stringContaining('broken-rule could not be checked (TypeError'),
    });
  });
});
